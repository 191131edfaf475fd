"""Which language an ad is in, for choosing the speech model of its second listen: its on-screen
text when that says (free), else Whisper base's reading of the voice (~1.5 s CPU)."""

from __future__ import annotations

import re
from collections.abc import Sequence

# the commonest function words of ad copy in each language (none shared between the two)
FRENCH = frozenset({
    "le", "la", "les", "des", "du", "et", "un", "une", "pour", "avec", "vous", "votre", "vos",
    "nous", "notre", "nos", "au", "aux", "sur", "sans", "dans", "par", "cette", "ces", "chez",
    "tout", "tous", "toute", "est", "sont", "plus", "qui", "que", "ne", "pas", "ou", "où",
    "découvrez", "c'est", "l'on", "d'un", "d'une", "qu'il",
})
ENGLISH = frozenset({
    "the", "and", "for", "with", "you", "your", "our", "we", "to", "of", "on", "in", "is", "are",
    "more", "all", "this", "that", "now", "get", "new", "it", "at", "by", "from", "what", "every",
})
ACCENTED = re.compile(r"[éèêëàâçîïôûùœ]")

# Whisper base's share for French (among English and French) above which a voice is French.
# Dev split (16 espeak-ng voice-overs over music): English voices 0.000-0.034, French ones
# 0.08-0.995 (three under 0.5: those ads' French text decides, see listen._language).
SOUNDS_FRENCH = 0.5


def written_language(lines: Sequence[str]) -> str | None:
    """"fr" or "en" when the lines' function words (and French accents) clearly lean one way,
    else None."""
    fr = en = 0
    for line in lines:
        lowered = line.lower()
        words = re.findall(r"[\w']+", lowered)
        fr += sum(w in FRENCH for w in words) + len(ACCENTED.findall(lowered))
        en += sum(w in ENGLISH for w in words)
    if fr >= 2 and fr > 2 * en:
        return "fr"
    if en >= 2 and en > 2 * fr:
        return "en"
    return None


def spoken_language(probs: dict[str, float]) -> tuple[str, str]:
    """(language, why) for a voice whose language probabilities are `probs`
    (SpeechRecognizer.detect_language)."""
    fr = probs.get("fr", 0.0)
    if fr >= SOUNDS_FRENCH:
        return "fr", f"the voice sounds French ({fr:.2f})"
    return "en", f"the voice sounds English ({1 - fr:.2f})" if probs else "no voice found"
