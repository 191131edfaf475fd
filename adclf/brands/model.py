"""The brand catalogue's records: a brand and a brand found in text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

HitKind = Literal["exact", "alias", "fuzzy", "domain"]
BrandKind = Literal["brand", "tech"]


@dataclass(frozen=True)
class Brand:
    """One advertiser. `kind="tech"` marks developer tools and software libraries (most of the
    simple-icons collection): they rarely advertise in video ads and their names are often
    everyday words ("Go", "Swift", "Less"), so a bare mention is weak evidence."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    logo: str | None = None  # simple-icons slug
    category_id: str | None = None  # IAB Ad Product Taxonomy 2.0 id
    common_word: bool = False  # the name is also an everyday English/French word
    exclude: bool = False  # never report this brand
    kind: BrandKind = "brand"
    slogans: tuple[str, ...] = ()  # advertising lines that name it (adclf/brands/slogans.py)

    def answers_to(self, name: str) -> bool:
        """`name` is this brand's name or one of its aliases, case and accents aside ("L'Oréal"
        is an alias of "L'Oréal Paris")."""
        from adclf.brands.normalize import key

        want = key(name)
        return bool(want) and any(key(n) == want for n in (self.name, *self.aliases))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "domains": list(self.domains),
            "logo": self.logo,
            "category_id": self.category_id,
            "common_word": self.common_word,
            "exclude": self.exclude,
            "kind": self.kind,
            "slogans": list(self.slogans),
        }


@dataclass(frozen=True)
class BrandHit:
    """A brand found in OCR or transcript text.

    `weak` hits came from a bare everyday word, a developer-tool name, a very short name or a
    key shared by several brands: use them only when something else (a logo, a domain, another
    mention) corroborates them."""

    brand: Brand
    matched: str  # the span of the original text
    score: float  # 0..1
    kind: HitKind
    weak: bool = False
    start: int = 0  # character offsets of `matched` in the (NFC-normalised) text
    end: int = 0
    count: int = 1  # how many times the brand was found
