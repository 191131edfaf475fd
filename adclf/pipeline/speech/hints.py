"""Brand hints: which of a (possibly long) list of brand names a transcript mentions, allowing for
recognition slips ("Togota" for Toyota, "Starbuck's" for Starbucks, "coca-cola" for Coca Cola).

Matching is done on the text, after recognition: the recogniser cannot be biased cheaply toward
thousands of names (Whisper's prompt holds ~200 tokens), while a fuzzy look-up of every 1-3 word
span of a 30 s transcript against a few thousand names costs a few milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from adclf.pipeline.speech.spoken import domain_names, spoken_to_written
from adclf.pipeline.types import SpeechLine

MIN_SCORE = 0.8  # similarity (0..1) of the spoken span to the name; exact = 1 ("Togota" 0.83)
MIN_FUZZY = 5  # shorter names must match exactly (fuzzy "Ford"/"food", ".NET"/"next" is noise)
# Catalogues hold brands named by everyday words ("Go", "Just", "Here", "Bit", "Target", "Orange").
# A span made only of such words (this list, or Zipf frequency >= 5 in English or French: "video",
# "next", "feeling") is not evidence of the brand on its own; it still counts when the transcript
# says it as an address ("target dot com"), via domain_names().
EVERYDAY_ZIPF = 5.0
COMMON = frozenset(
    """a about after all also am an and any are as at back be been before best big bit but buy by
    call can come day did do does don't down each even every feel find first for free from fun
    get gets give go going good got great had has have he her here him his home how i i'm if in
    into is it it's its just know last let let's life like line live look love made make man
    many me more most much my need new next no not now of off oh on one only or other our out
    over own people place places play real right run save say see she shop so some start stay
    still take than that that's the their them then there these they thing think this time to
    today too try two up us use very want was way we well were what when where which who why
    will with work world would yeah yes you your
    à au aussi avec bien bon c'est ce ces dans de des du elle en est et être faire il ils je la
    le les leur lui mais me mes moi mon ne nos notre nous on ou où par pas plus pour qu que qui
    sa se ses son sur ta te tes toi ton tous tout très tu un une vie vos votre vous y""".split()  # noqa: SIM905
)


@dataclass
class HintMatch:
    hint: str  # the name as given in hints
    said: str  # the transcript span that matched
    score: float  # 0..1 similarity x line confidence
    start: float  # seconds, from the line
    end: float


@lru_cache(maxsize=65536)
def everyday(word: str) -> bool:
    w = word.lower()
    if w in COMMON:
        return True
    from adclf.lexicon import everyday_zipf

    return everyday_zipf(w) >= EVERYDAY_ZIPF


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("&", "and"))


class HintIndex:
    """Names indexed by normalised key and length so each span is compared with few names."""

    def __init__(self, hints: Iterable[str]) -> None:
        self.by_key: dict[str, str] = {}
        self.by_len: dict[int, list[str]] = {}
        for hint in hints:
            key = _key(hint)
            if len(key) < 2 or key in self.by_key:
                continue
            self.by_key[key] = hint
            self.by_len.setdefault(len(key), []).append(key)

    def best(self, span: str) -> tuple[str, float] | None:
        key = _key(span)
        if key in self.by_key:
            return self.by_key[key], 1.0
        if len(key) < MIN_FUZZY:
            return None
        best: tuple[str, float] | None = None
        slack = max(1, len(key) // 5)
        for n in range(len(key) - slack, len(key) + slack + 1):
            for cand in self.by_len.get(n, ()) if n >= MIN_FUZZY else ():
                if cand[0] != key[0] and cand[:2] != key[1:3]:
                    continue  # slips rarely change the first sound
                m = SequenceMatcher(None, key, cand, autojunk=False)
                if m.quick_ratio() < MIN_SCORE:
                    continue
                score = m.ratio()
                if score >= MIN_SCORE and (best is None or score > best[1]):
                    best = (self.by_key[cand], score)
        return best


def _spans(text: str, longest: int = 3) -> list[str]:
    words = re.findall(r"[\w'&\-.]+", text)
    return word_spans([w.strip(".'-") for w in words if w.strip(".'-")], longest)


@lru_cache(maxsize=65536)
def zipf_in(word: str, language: str) -> float:
    """How common `word` is in `language` alone (Zipf)."""
    from adclf.lexicon import zipf

    return zipf(word.lower(), language)


def everyday_in(word: str, language: str) -> bool:
    """An everyday word of `language` alone ("cost" is English's, not French's)."""
    return zipf_in(word, language) >= EVERYDAY_ZIPF


def lone_letter(word: str) -> bool:
    """A capital letter standing alone ("L or L Paris", "S F M"): how a recogniser writes a name
    it cannot spell, or one spelled out; never an everyday word ("I" and "A" are words)."""
    return len(word) == 1 and word.isupper() and word not in ("I", "A")


def word_spans(words: list[str], longest: int, language: str | None = None,
               letters: bool = False) -> list[str]:
    """Every run of 1..longest words that is not made only of everyday words (of English or
    French, or given a `language`, of that language). `letters`: a lone capital letter is no
    everyday word."""

    def plain(word: str) -> bool:
        if letters and lone_letter(word):
            return False
        return everyday(word) if language is None else everyday_in(word, language)

    spans: list[str] = []
    for i in range(len(words)):
        for n in range(1, longest + 1):
            part = words[i : i + n]
            if i + n <= len(words) and not all(plain(w) for w in part):
                spans.append(" ".join(part))
    return spans


def find_hints(
    lines: Sequence[SpeechLine], hints: Iterable[str] | HintIndex, min_score: float = MIN_SCORE
) -> list[HintMatch]:
    """Names from `hints` said in `lines`, best first, one match per name. Spoken addresses count
    ("nike dot com" matches Nike)."""
    index = hints if isinstance(hints, HintIndex) else HintIndex(hints)
    found: dict[str, HintMatch] = {}
    for line in lines:
        text = spoken_to_written(line.text)
        candidates = _spans(text) + domain_names(text)
        for span in candidates:
            hit = index.best(span)
            if hit is None or hit[1] < min_score:
                continue
            hint, similarity = hit
            score = round(similarity * line.confidence, 3)
            if hint not in found or score > found[hint].score:
                found[hint] = HintMatch(hint, span, score, line.start, line.end)
    return sorted(found.values(), key=lambda m: -m.score)
