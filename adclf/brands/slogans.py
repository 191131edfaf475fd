"""Advertising slogans: a famous line names its advertiser even when the ad never says the name
("Because you're worth it" is L'Oréal Paris, "Say yes to the world" Lufthansa). An ad-ops person
knows them; the issue asks for the knowledge a person brings (issue 11, brand knowledge).

A slogan is read as words (case, accents and apostrophes aside), in order and next to each other,
anywhere in an OCR or transcript line. One word of five letters or more may be misspelt by one
letter when the slogan has three words or more (speech and OCR misspell). A slogan shorter than
SHORT_WORDS words ("Think different", "Keep walking") names its brand only as a whole line:
inside a sentence such words are everyday copy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING

from adclf.brands.normalize import key, tokens

if TYPE_CHECKING:
    from adclf.brands.model import Brand

MIN_WORDS, MIN_LETTERS = 2, 8  # shorter lines are everyday words ("For life", "Take care")
SHORT_WORDS = 3
FUZZY_LEN = 5
FUZZY_SCORE = 0.8  # a slogan read with one misspelt word


@dataclass(frozen=True)
class SloganHit:
    brand: Brand
    slogan: str  # as the catalogue writes it
    matched: str  # the span of the line
    score: float  # 1.0 read exactly, FUZZY_SCORE with one misspelt word


def usable(slogan: str) -> bool:
    words = [t for t, _, _, _ in tokens(slogan)]
    return len(words) >= MIN_WORDS and sum(len(w) for w in words) >= MIN_LETTERS


class SloganIndex:
    def __init__(self, pairs: Iterable[tuple[Brand, str]]) -> None:
        self._slogans: list[tuple[tuple[str, ...], Brand, str]] = []
        for brand, slogan in pairs:
            if usable(slogan):
                words = tuple(t for t, _, _, _ in tokens(slogan))
                self._slogans.append((words, brand, slogan))

    def __len__(self) -> int:
        return len(self._slogans)

    def find(self, text: str) -> list[SloganHit]:
        """The slogans in `text`, one hit per brand (its best), best first."""
        toks = tokens(text)
        words = [t for t, _, _, _ in toks]
        best: dict[str, SloganHit] = {}
        for slogan_words, brand, slogan in self._slogans:
            n = len(slogan_words)
            if n < SHORT_WORDS:
                starts: Iterable[int] = [0] if len(words) == n else []
            else:
                starts = range(len(words) - n + 1)
            for i in starts:
                score = _read(words[i:i + n], slogan_words)
                if score > 0 and (brand.name not in best or score > best[brand.name].score):
                    span = text[toks[i][1]:toks[i + n - 1][2]]
                    best[brand.name] = SloganHit(brand, slogan, span, score)
        return sorted(best.values(), key=lambda h: (-h.score, h.brand.name))


def _read(seen: list[str], want: tuple[str, ...]) -> float:
    misspelt = 0
    for a, b in zip(seen, want, strict=True):
        if a == b:
            continue
        if len(want) < SHORT_WORDS or len(b) < FUZZY_LEN or not _one_edit(a, b):
            return 0.0
        misspelt += 1
        if misspelt > 1:
            return 0.0
    return FUZZY_SCORE if misspelt else 1.0


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by one substitution, insertion or deletion."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def with_shipped(brands: list[Brand]) -> list[Brand]:
    """`brands` with the shipped slogans (data/slogans.txt) added to theirs, each line's brand
    found by name, then by alias; a line naming no brand is skipped (a test keeps the file and
    the catalogue in step)."""
    by_name = {key(b.name): i for i, b in enumerate(brands)}
    by_alias: dict[str, int] = {}
    for i, b in enumerate(brands):
        for alias in b.aliases:
            by_alias.setdefault(key(alias), i)
    found: dict[int, tuple[str, ...]] = {}
    for name, slogans in _lines():
        at = by_name.get(key(name), by_alias.get(key(name)))
        if at is not None:
            found[at] = found.get(at, ()) + slogans
    out = list(brands)
    for i, more in found.items():
        out[i] = replace(out[i], slogans=out[i].slogans + more)
    return out


def _lines() -> list[tuple[str, tuple[str, ...]]]:
    text = resources.files("adclf.brands").joinpath("data").joinpath("slogans.txt").read_text(
        encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, rest = line.partition("|")
            out.append((name.strip(), tuple(s.strip() for s in rest.split(";") if s.strip())))
    return out


def shipped_names() -> list[str]:
    """The brand names data/slogans.txt writes (for its test)."""
    return [name for name, _ in _lines()]
