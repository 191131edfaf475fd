"""The brand catalogue: the shipped default plus an optional user file, with lookups by name,
domain and logo slug, and `find_in_text` for OCR/transcript text.

    cat = BrandCatalogue.load()            # the shipped default (cached: default_catalogue())
    cat = BrandCatalogue.load(user_path=Path("brands.csv"))
    cat.find_in_text("Venez chez McDonalds") -> [BrandHit(McDonald's, "McDonalds", 0.95, "exact")]
    cat.by_domain("www.nike.ca") -> Brand(Nike)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterator
from dataclasses import replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adclf.brands.matcher import Matcher
from adclf.brands.model import Brand, BrandHit
from adclf.brands.normalize import is_common_word, key
from adclf.brands.slogans import SloganHit, SloganIndex, with_shipped
from adclf.brands.userfile import UserRow, read_user_file

_PUBLIC_2 = {"co.uk", "com.au", "co.jp", "com.br", "co.nz", "co.za", "com.mx", "co.in", "org.uk",
             "gouv.fr", "gc.ca", "gouv.qc.ca", "qc.ca", "com.cn", "co.kr"}


def normalize_domain(domain: str) -> str:
    """"https://WWW.Nike.ca/fr/x" -> "nike.ca"."""
    text = domain.strip().lower()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


def domain_label(host: str) -> str:
    """The registrable label: "fr.nike.com" -> "nike", "tesco.co.uk" -> "tesco"."""
    parts = host.split(".")
    if len(parts) >= 3 and ".".join(parts[-2:]) in _PUBLIC_2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else host


def taxonomy_ids() -> frozenset[str]:
    from adclf.pipeline.taxonomy.loader import load_default_taxonomy

    return frozenset(load_default_taxonomy().nodes)


def _brand(obj: dict[str, Any]) -> Brand:
    return Brand(
        name=obj["name"], aliases=tuple(obj.get("aliases") or ()),
        domains=tuple(obj.get("domains") or ()), logo=obj.get("logo"),
        category_id=obj.get("category_id"), common_word=bool(obj.get("common_word")),
        exclude=bool(obj.get("exclude")), kind=obj.get("kind") or "brand",
        slogans=tuple(obj.get("slogans") or ()),
    )


def load_default_brands() -> list[Brand]:
    data = resources.files("adclf.brands").joinpath("data").joinpath("brands.jsonl")
    return [_brand(json.loads(line)) for line in data.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _apply(row: UserRow, base: Brand | None) -> Brand:
    if base is None:
        return Brand(
            name=row.name, aliases=row.aliases or (),
            domains=tuple(normalize_domain(d) for d in row.domains or ()), logo=row.logo,
            category_id=row.category_id,
            common_word=row.common_word if row.common_word is not None
            else is_common_word(row.name),
            exclude=bool(row.exclude), kind="tech" if row.kind == "tech" else "brand",
            slogans=row.slogans or (),
        )
    changes: dict[str, Any] = {"name": row.name}
    if row.aliases is not None:
        changes["aliases"] = row.aliases
    if row.domains is not None:
        changes["domains"] = tuple(normalize_domain(d) for d in row.domains)
    for field in ("logo", "category_id", "exclude", "common_word", "kind", "slogans"):
        value = getattr(row, field)
        if value is not None:
            changes[field] = value
    if row.kind is None and base.kind == "tech" and not row.exclude:
        changes["kind"] = "brand"  # a user who names a simple-icons brand means an advertiser
    return replace(base, **changes)


class BrandCatalogue:
    def __init__(self, brands: list[Brand], source: str = "") -> None:
        self.source = source
        self.brands: list[Brand] = []
        self._by_key: dict[str, Brand] = {}
        for b in brands:
            k = key(b.name)
            if not k:
                continue
            if k in self._by_key:  # later rows (user) replace earlier ones of the same name
                self.brands[self.brands.index(self._by_key[k])] = b
            else:
                self.brands.append(b)
            self._by_key[k] = b
        self._by_domain: dict[str, Brand] = {}
        self._by_label: dict[str, Brand | None] = {}
        self._by_logo: dict[str, Brand] = {}
        for b in reversed(self.brands):  # user rows come last: let them win
            for d in b.domains:
                self._by_domain.setdefault(d, b)
            if b.logo:
                self._by_logo.setdefault(b.logo, b)
        for b in self.brands:
            for d in b.domains:
                label = domain_label(d)
                if len(label) >= 3:
                    prev = self._by_label.get(label, b)
                    self._by_label[label] = b if prev is b else None  # ambiguous label
        self.matcher = Matcher(self.brands, self)

    @classmethod
    def load(cls, default: bool = True, user_path: Path | str | None = None,
             category_ids: Collection[str] | None = None) -> BrandCatalogue:
        """The shipped catalogue (if `default`) with the rows of `user_path` (CSV or JSONL)
        added or overriding brands of the same name (case/accent-insensitive). Category ids are
        checked against `category_ids` (default: the packaged IAB Ad Product 2.0 taxonomy)."""
        brands = with_shipped(load_default_brands()) if default else []
        source = "default" if default else ""
        if user_path is not None:
            path = Path(user_path).expanduser()
            rows = read_user_file(path, category_ids if category_ids is not None
                                  else taxonomy_ids())
            index = {key(b.name): b for b in brands}
            for row in rows:
                k = key(row.name)
                if not k:
                    raise ValueError(f"brand file {path} line {row.line}: name {row.name!r} "
                                     "has no letters or digits")
                new = _apply(row, index.get(k))
                index[k] = new
                brands.append(new)
            source = f"{source}+{path}" if source else str(path)
        return cls(brands, source=source)

    # lookups
    def __len__(self) -> int:
        return len(self.brands)

    def __iter__(self) -> Iterator[Brand]:
        return iter(self.brands)

    def get(self, name: str, include_excluded: bool = False) -> Brand | None:
        b = self._by_key.get(key(name))
        return b if b is not None and (include_excluded or not b.exclude) else None

    def is_excluded(self, name: str) -> bool:
        b = self._by_key.get(key(name))
        return b is not None and b.exclude

    def by_domain(self, domain: str) -> Brand | None:
        """nike.com, www.nike.ca, fr.nike.com, https://nike.com/x -> Nike."""
        host = normalize_domain(domain)
        if not host or "." not in host:
            return None
        parts = host.split(".")
        for i in range(len(parts) - 1):
            b = self._by_domain.get(".".join(parts[i:]))
            if b is not None:
                return None if b.exclude else b
        b = self._by_label.get(domain_label(host))
        return None if b is None or b.exclude else b

    def by_logo(self, slug: str) -> Brand | None:
        b = self._by_logo.get(slug.strip().lower())
        return None if b is None or b.exclude else b

    def find_in_text(self, text: str) -> list[BrandHit]:
        """Brands named in OCR or transcript text, best first (see Matcher.find)."""
        return self.matcher.find(text)

    def find_slogans(self, text: str) -> list[SloganHit]:
        """Brands whose slogan `text` holds, best first (adclf/brands/slogans.py)."""
        return self._slogans.find(text)

    @cached_property
    def _slogans(self) -> SloganIndex:
        return SloganIndex((b, s) for b in self.brands if not b.exclude for s in b.slogans)

    def resolve(self, text: str) -> Brand | None:
        """The entry a whole brand string names exactly: its name, an alias or a web domain
        ('WWF', 'World Wildlife Fund' and 'wwf.org' give one entry); None when the string names
        none, names one with only part of it ('Nike Air Max' is not Nike) or misspells it.
        Dictionary look-ups only: no fuzzy reading, so a scorer can call it anywhere cheaply."""
        k = key(text)
        if not k:
            return None
        found = self._by_key.get(k) or self._by_alias.get(k) or self.by_domain(text.strip())
        return None if found is None or found.exclude else found

    @cached_property
    def _by_alias(self) -> dict[str, Brand]:
        """Alias key -> entry; an alias two entries share, or that is another entry's name,
        names neither."""
        found: dict[str, Brand | None] = {}
        for b in self.brands:
            for alias in b.aliases:
                k = key(alias)
                if k and k not in self._by_key:
                    found[k] = b if found.get(k, b) is b else None
        return {k: b for k, b in found.items() if b is not None}

    def same_advertiser(self, a: str, b: str) -> bool:
        """Two brand strings name one catalogue entry ('WWF' and 'World Wildlife Fund')."""
        known = self.resolve(a)
        return known is not None and known == self.resolve(b)


_default: BrandCatalogue | None = None
_lock = threading.Lock()


def default_catalogue() -> BrandCatalogue:
    """The shipped catalogue, loaded and indexed once per process."""
    global _default
    with _lock:
        if _default is None:
            _default = BrandCatalogue.load()
        return _default
