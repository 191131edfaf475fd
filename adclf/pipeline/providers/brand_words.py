"""Is a reading a plausible brand name when nothing else confirms it?

An ad's end card often shows a tagline or a call to action instead of the name ("Just do it",
"Think different", "Belong anywhere") and OCR reads single letters off logos ("M"). None of
those is a brand. A name that nothing confirms (no web address, no known brand, no logo, no
speech) must look like a name: a few words, letters in it, and not made only of everyday words of
English or French (word frequencies from the `wordfreq` package, offline)."""

from __future__ import annotations

import re
from functools import lru_cache

from adclf.pipeline.providers.embedded_brand import GENERIC, PRICE_RE, STOP_WORDS
from adclf.pipeline.taxonomy.text import fold

# Zipf frequency (log10 per billion words + 3): 'think' 6.1, 'belong' 4.4, 'nike' 3.9,
# 'zalando' 1.7. A word at or above this in English or French is an everyday word.
EVERYDAY_ZIPF = 4.0
DICTIONARY_ZIPF = 3.0  # 'jouez' 3.9, 'responsibly' 3.2, 'dupré' 3.1; 'zalando' 2.5, 'lume' 1.9
MAX_WORDS = 4
# Small words that make a phrase a sentence ("Play without limits", "Jouez sans limites").
LINK_WORDS = {"sans", "without", "like", "than", "so", "just", "made", "it", "its", "be", "was",
              "do", "get", "go", "let", "lets", "faites", "fait", "comme", "que", "qui"}


@lru_cache(maxsize=20_000)
def everyday(word: str) -> bool:
    from adclf.lexicon import everyday_zipf

    return everyday_zipf(word) >= EVERYDAY_ZIPF


def looks_like_a_name(text: str) -> tuple[bool, str]:
    """(True, "") or (False, why not)."""
    raw = text.strip()
    key = fold(raw)
    letters = sum(ch.isalpha() for ch in raw)
    if letters < 2:
        return False, "a single character or a number is not a brand"
    if PRICE_RE.search(raw) or re.fullmatch(r"[\d\s.,:%/-]+", raw):
        return False, "a price or a number is not a brand"
    # "lovin'" is the everyday word "loving" spelt as it is said
    words = _said(re.findall(r"[^\W\d_]+", key), raw)
    if not words:
        return False, "no word in it"
    if key in GENERIC or all(w in STOP_WORDS or w in GENERIC for w in words):
        return False, "a call to action or generic words"
    if len(words) > MAX_WORDS:
        return False, "a sentence, not a name"
    if len(words) >= 3 and any(w in STOP_WORDS or w in LINK_WORDS for w in words):
        return False, "a sentence, not a name"
    if all(everyday(w) or w in STOP_WORDS for w in words):
        return False, "only everyday words (a tagline or a slogan)"
    if len(words) >= 2 and re.search(r"\w[.,!?;:]+\s+\w", raw):
        return False, "a sentence, not a name"
    accented = _said(re.findall(r"[^\W\d_]+", raw.lower()), raw)  # 'créez', not 'creez'
    if len(words) >= 2 and not _title_or_caps(raw) and all(
            in_dictionary(w) or w in STOP_WORDS or _glued(w) for w in accented):
        return False, "a phrase of dictionary words in sentence case (a tagline)"
    return True, ""


# the stop words that OCR glues to the next word when it loses a space ("la", "de", "the")
_SMALL_WORDS = tuple(w for w in STOP_WORDS if len(w) <= 3)


def _glued(word: str) -> bool:
    """A small word and a dictionary word read as one, OCR having lost the space between
    them: 'lafraude' in "Protection contre lafraude" (a Mastercard end card's small print)."""
    return any(word.startswith(w) and len(word) - len(w) >= 3 and in_dictionary(word[len(w):])
               for w in _SMALL_WORDS)


@lru_cache(maxsize=20_000)
def in_dictionary(word: str) -> bool:
    from adclf.lexicon import everyday_zipf

    return everyday_zipf(word) >= DICTIONARY_ZIPF


def _title_or_caps(text: str) -> bool:
    """'Maison Dupré', 'BANQUE AZUR' read as names; 'Changez aujourd'hui' as a sentence."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _said(words: list[str], raw: str) -> list[str]:
    """'lickin'' and 'lovin'' are the everyday words 'licking' and 'loving' spelt as said."""
    low = raw.lower()
    return [w[:-2] + "ing" if w.endswith("in") and (f"{w}'" in low or f"{w}’" in low) else w
            for w in words]
