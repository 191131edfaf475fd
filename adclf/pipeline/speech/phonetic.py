"""Brand names that *sound like* a transcript span: candidates, never answers.

Whisper tiny.en hears a brand it does not know as the nearest English it knows: "Vinted" becomes
"Winter", "Babbel" "BAMBL", "Absolut" "Amcelot". Spelling-based matching (brands/matcher.py)
cannot link those; a sound key can. The key is a consonant skeleton in the spirit of Metaphone,
loosened where a recogniser slips: voiced and voiceless pairs meet (b/p, d/t, g/k, v/f/w, s/z),
m meets n, vowels vanish except a leading one. Names also get a French reading of their spelling
("Renault" -> "reno") since many advertisers' names are French.

A span and a name whose keys are within one edit are candidates. Every candidate must still be
confirmed by listening again (speech/confirm.py): this module only decides what to listen for.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from adclf.brands.normalize import fold, key
from adclf.pipeline.speech.hints import lone_letter, word_spans, zipf_in
from adclf.pipeline.types import SpeechLine

if TYPE_CHECKING:
    from adclf.brands import BrandCatalogue

MIN_KEY = 3  # shorter keys ("rn", "tn") sound like half the dictionary
MAX_SPAN_WORDS = 2
_DIGRAPHS = (("sch", "s"), ("ph", "f"), ("ck", "k"), ("qu", "kw"), ("wh", "w"), ("th", "t"),
             ("sh", "s"), ("ch", "s"), ("kn", "n"), ("x", "ks"), ("q", "k"))
_MERGE = {"z": "s", "v": "f", "w": "f", "b": "p", "d": "t", "m": "n", "h": ""}
_VOWELS = frozenset("aeiouy")
_FRENCH_ENDINGS = re.compile(r"(?:ault|aut|eaux|eau|ot|ts|t|s|x|d|e)$")
_TLD = re.compile(r"\.(?:com|fr|net|org|co|io|ca|uk)\b\.?", re.IGNORECASE)


@lru_cache(maxsize=65536)
def sound_key(text: str) -> str:
    """'Vinted' -> 'fntt', 'Winter' -> 'fntr', 'Absolut' -> 'apslt', 'Amcelot' -> 'anslt'."""
    s = re.sub(r"[^a-z]", "", fold(text))
    if not s:
        return ""
    s = s[0] + s[1:].replace("gh", "")  # 'right', 'night'
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    out: list[str] = []
    for i, ch in enumerate(s):
        if i and ch == s[i - 1]:
            continue  # a doubled letter is one sound
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if ch == "c":
            ch = "s" if nxt in ("e", "i", "y") else "k"
        elif ch == "g":
            ch = "j" if nxt in ("e", "i", "y") else "k"
        code = _MERGE.get(ch, ch)
        if code in _VOWELS:
            code = "a" if i == 0 else ""
        # the same sound twice is one, unless a vowel stood between them ('Babbel' = p-p-l)
        if code and not (out and out[-1] == code and s[i - 1] not in _VOWELS):
            out.append(code)
    return "".join(out)


def french_key(text: str) -> str:
    """The key of a name read the French way: silent endings, 'au'/'eau' as 'o'."""
    s = re.sub(r"[^a-z]", "", fold(text))
    s = _FRENCH_ENDINGS.sub(lambda m: "o" if "au" in m.group(0) else "", s)
    return sound_key(s.replace("eau", "o").replace("au", "o"))


def _deletes(k: str) -> set[str]:
    return {k} | {k[:j] + k[j + 1:] for j in range(len(k))}


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two sound keys."""
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class Candidate:
    brand: str  # the catalogue's name
    said: str  # the transcript span it may have been
    line: int  # index of the line in the list given to find()
    score: float  # 0..1, how alike span and name sound and look, lower for everyday words


class SoundIndex:
    """Every advertiser name and alias of a catalogue by sound key, with one-deletion variants so
    a look-up finds keys one edit away without scanning the catalogue."""

    def __init__(self, catalogue: BrandCatalogue) -> None:
        self.by_delete: dict[str, set[tuple[str, str]]] = {}
        for b in catalogue:
            # names that are everyday words ('Windows', 'Bumble') or developer tools are no
            # evidence when a recogniser writes them: never listen for them
            if b.kind != "brand" or b.exclude or b.common_word or len(key(b.name)) < 4:
                continue
            for text in (b.name, *b.aliases):
                for k in {sound_key(text), french_key(text)}:
                    if len(k) < MIN_KEY:
                        continue
                    for d in _deletes(k):
                        self.by_delete.setdefault(d, set()).add((k, b.name))

    def near(self, span: str) -> list[tuple[str, float]]:
        """(name, similarity 0..1) for names whose key is at most one edit from the span's."""
        k = sound_key(span)
        if len(k) < MIN_KEY:
            return []
        found: dict[str, float] = {}
        plain = re.sub(r"[^a-z]", "", fold(span))
        for d in _deletes(k):
            for nk, name in self.by_delete.get(d, ()):
                dist = edit_distance(k, nk)
                if dist > 1:
                    continue
                spelt = SequenceMatcher(None, plain, re.sub(r"[^a-z]", "", fold(name))).ratio()
                score = 0.6 * (1.0 - dist / max(len(k), len(nk))) + 0.4 * spelt
                found[name] = max(found.get(name, 0.0), score)
        # ties by name: the keys come out of sets, whose order changes with each process's
        # string hashing, and the order decided which names were listened for (a French clip
        # named DeepL in one run and nothing in the next)
        return sorted(found.items(), key=lambda x: (-x[1], x[0]))


_indexes: dict[int, SoundIndex] = {}
_lock = threading.Lock()


def sound_index(catalogue: BrandCatalogue) -> SoundIndex:
    with _lock:
        if id(catalogue) not in _indexes:
            _indexes[id(catalogue)] = SoundIndex(catalogue)
        return _indexes[id(catalogue)]


def _spans(text: str, longest: int = MAX_SPAN_WORDS, language: str | None = None) -> list[str]:
    return word_spans(re.findall(r"[\w'&+]+", _TLD.sub(" ", text)), longest, language,
                      letters=True)


def find_candidates(lines: list[SpeechLine], index: SoundIndex, limit: int = 20,
                    spans_per_name: int = 2, longest: int = MAX_SPAN_WORDS,
                    language: str | None = None) -> list[Candidate]:
    """Brand names that some span of `lines` sounds like: the best `limit` names, each with its
    best `spans_per_name` spans ("Deliver" and "Deliver it" for Deliveroo), best first. Spans
    of common words are skipped; rarer words weigh more (a misheard name is often a non-word,
    'Amcelot', or a rare one). `longest`: words per span (Whisper base splits a name it does
    not know into three: 'Talk to lib', 'We have max'). `language`: words are everyday or
    common in that language alone (a French voice's name comes back as English words: 'la
    cost'); None: in English or French."""
    found: dict[str, list[Candidate]] = {}
    for i, line in enumerate(lines):
        for span in _spans(line.text, longest, language):
            rarity = 1.0 if not any(_common(w, language) for w in span.split()) else 0.8
            for name, similarity in index.near(span):
                found.setdefault(name, []).append(
                    Candidate(name, span, i, round(similarity * rarity, 3)))
    ranked = sorted(found.values(), key=lambda cs: (-max(c.score for c in cs), cs[0].brand)
                    )[:limit]
    out: list[Candidate] = []
    for cands in ranked:
        seen: set[tuple[str, int]] = set()
        for c in sorted(cands, key=lambda c: -c.score):
            if (c.said.lower(), c.line) not in seen and len(seen) < spans_per_name:
                seen.add((c.said.lower(), c.line))
                out.append(c)
    return out


@lru_cache(maxsize=20000)
def _zipf(word: str) -> float:
    from adclf.lexicon import everyday_zipf

    return everyday_zipf(word.lower())


def _common(word: str, language: str | None = None) -> bool:
    return (_zipf(word) if language is None else zipf_in(word, language)) >= 3.0


def has_rare_word(span: str, below: float, language: str | None = None) -> bool:
    """Some word of the span is rarer than Zipf `below` in English and in French, or, given a
    `language`, in that language alone: an English word in a French line ("We have max" for
    Winamax, "la cost" for Lacoste) is no word of the voice's, so a name may hide there. A lone
    capital letter counts as rare."""
    words = re.findall(r"[\w']+", span)
    if any(lone_letter(w) for w in words):
        return True  # a name the recogniser wrote as letters ("L or L" for L'Oréal)
    if language is None:
        return any(_zipf(w) < below for w in words)
    return any(zipf_in(w, language) < below for w in words)
