"""Who is advertising, from OCR alone: web domains, the end card's large text, repeated short lines.

No brand list is used: the brand must be read in the ad. Each candidate line gets points for the
signals an ad's brand usually has (it matches the web address, it is big, it is on the end card, it
is short and not a call to action or a sentence) and the best one wins."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from adclf.pipeline.taxonomy.text import fold
from adclf.pipeline.types import OcrLine

# Tolerates OCR's stray spaces around the dot ("nike . com"); the label is the brand key.
DOMAIN_RE = re.compile(
    r"(?:https?\s*:\s*//\s*)?(?:www\s*\.\s*)?([a-z0-9][a-z0-9-]{0,62})\s*\.\s*"
    r"(com|fr|org|net|io|co\.uk|co|de|es|it|be|ch|ca|eu|app|tv|ai|uk|nl|us|info|shop|store)\b",
    re.IGNORECASE,
)
HANDLE_RE = re.compile(r"@([A-Za-z0-9_.]{3,30})")

# Words that make a line a call to action, a legal mention or a price, never a brand.
GENERIC = {
    fold(w)
    for w in (
        "shop now", "buy now", "learn more", "discover", "order now", "order online",
        "download", "get started", "available now", "try it free", "sign up", "book now",
        "watch now", "stream now", "subscribe", "visit", "find out more", "see more",
        "en savoir plus", "découvrez", "decouvrez", "commandez", "achetez", "disponible",
        "téléchargez", "inscrivez-vous", "réservez", "reservez", "abonnez-vous", "voir plus",
        "new", "nouveau", "nouvelle", "now", "today", "offer", "offre", "sale", "soldes",
        "free", "gratuit", "terms and conditions apply", "voir conditions",
        "available on the app store", "get it on google play", "app store", "google play",
    )
}
STOP_WORDS = {
    "the", "a", "an", "and", "or", "for", "with", "your", "you", "our", "of", "to", "in", "on",
    "is", "are", "at", "from", "by", "every", "all", "more", "le", "la", "les", "un", "une",
    "des", "de", "du", "et", "pour", "avec", "votre", "vos", "notre", "nos", "en", "sur", "au",
    "aux", "dans", "plus", "chaque", "tout", "tous", "est",
}
PRICE_RE = re.compile(r"\d+[.,]?\d*\s*(€|\$|£|%|eur|usd)|(€|\$|£)\s*\d", re.IGNORECASE)


@dataclass
class BrandGuess:
    brand: str
    score: float  # 0..1, how sure the brand reading is
    evidence: list[str] = field(default_factory=list)  # short phrases for the reasoning
    domains: list[str] = field(default_factory=list)
    line_text: str = ""  # the OCR line read as the brand ("" when it came from a domain only)
    domain_match: str = ""  # the web address that confirms `line_text` ("" if none does)


@dataclass
class _Cand:
    text: str
    key: str
    points: float = 0.0
    seen: int = 0
    height: float = 0.0
    end_card: bool = False
    domain_match: str = ""
    notes: list[str] = field(default_factory=list)


def find_domains(lines: list[OcrLine]) -> list[tuple[str, str]]:
    """(full domain as read, brand key) for each web address in the OCR, first seen first."""
    found: dict[str, str] = {}
    for line in lines:
        for m in DOMAIN_RE.finditer(line.text):
            label, tld = m.group(1).lower(), m.group(2).lower()
            if label in {"www", "http", "https"} or len(label) < 2:
                continue
            found.setdefault(f"{label}.{tld}", label)
    return list(found.items())


def pretty_domain_label(label: str) -> str:
    """'coca-cola' → 'Coca-Cola', 'axa' → 'AXA' (short labels are usually acronyms)."""
    if len(label) <= 3 and label.isalpha():
        return label.upper()
    return "-".join(part[:1].upper() + part[1:] for part in label.split("-"))


def clean_casing(text: str) -> str:
    """Keep the ad's own casing ('iPhone', 'LEGO'); only all-lowercase readings are capitalised."""
    text = text.strip(" .,:;!?-–—'\"")
    if text and text == text.lower() and any(ch.isalpha() for ch in text):
        return " ".join(w[:1].upper() + w[1:] for w in text.split())
    return text


def _is_generic(key: str) -> bool:
    if not key or key in GENERIC:
        return True
    words = key.split()
    return all(w in STOP_WORDS or w in GENERIC for w in words)


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def end_card_start(lines: list[OcrLine], duration: float) -> float:
    """Lines first seen after this time belong to the closing card (the last ~4 s or 20%)."""
    if not lines:
        return 0.0
    last = max(line.timestamp for line in lines)
    return max(0.0, min(duration or last, last) - max(4.0, 0.2 * (duration or last)))


def read_brand(lines: list[OcrLine], duration: float) -> BrandGuess:
    if not lines:
        return BrandGuess("", 0.0, ["no text was read in the video"])
    domains = find_domains(lines)
    domain_keys = [(d, re.sub(r"[^a-z0-9]", "", label)) for d, label in domains]
    end_from = end_card_start(lines, duration)
    cands: dict[str, _Cand] = {}
    for line in lines:
        text = line.text.strip()
        key = fold(text)
        if DOMAIN_RE.search(text) or HANDLE_RE.fullmatch(text.strip()):
            continue  # the address itself is scored through domain_match below
        if _is_generic(key) or PRICE_RE.search(text):
            continue
        cand = cands.setdefault(key, _Cand(clean_casing(text), key))
        cand.seen += 1
        cand.height = max(cand.height, line.height_ratio)
        cand.end_card = cand.end_card or line.timestamp >= end_from
        compact = _compact(text)
        # 'Moët & Chandon' goes with moet.com: its first word is the domain's name; 'Booking.yeah'
        # does not go with booking.com (one token that merely starts like it).
        first = _compact(text.split()[0]) if text.split() else ""
        for domain, dkey in domain_keys:
            if len(compact) >= 2 and (
                compact == dkey
                or (len(compact) >= 3 and dkey.startswith(compact))
                or (first == dkey and len(text.split()) > 1)
            ):
                cand.domain_match = domain
    if not cands and not domains:
        return BrandGuess("", 0.0, ["no brand-like text was read"])
    tallest = max((c.height for c in cands.values()), default=0.0) or 1.0
    for cand in cands.values():
        n_words = len(cand.key.split())
        if cand.domain_match:
            cand.points += 3.0
            cand.notes.append(f"matches '{cand.domain_match}'")
        cand.points += 2.0 * (cand.height / tallest)
        if cand.end_card:
            cand.points += 1.0
        cand.points += 0.4 * min(cand.seen - 1, 3)
        if n_words > 3:
            cand.points -= 0.7 * (n_words - 3)
        if sum(1 for w in cand.key.split() if w in STOP_WORDS) >= 1 and n_words >= 3:
            cand.points -= 1.0  # "Move without limits" reads as a sentence, not a name
        if len(cand.key) > 28:
            cand.points -= 1.5
    ranked = sorted(cands.values(), key=lambda c: -c.points)
    best = ranked[0] if ranked else None
    runner_up = ranked[1].points if len(ranked) > 1 else 0.0
    evidence: list[str] = []
    if best is not None and (best.domain_match or not domains):
        where = "end card" if best.end_card else "on screen"
        evidence.append(f"{where} reads '{best.text}'")
        if best.domain_match:
            evidence.append(f"'{best.domain_match}'")
        margin = best.points - runner_up
        score = 0.35 + 0.12 * min(margin, 3.0) + (0.25 if best.domain_match else 0.0)
        if best.height >= 0.08:
            score += 0.05
        return BrandGuess(best.text, min(0.98, score), evidence, [d for d, _ in domains],
                          best.text, best.domain_match)
    if domains:
        # Text did not name the brand, the web address does: 'uber.com' → 'Uber'.
        domain, label = domains[-1]
        brand = pretty_domain_label(label)
        # Prefer an on-screen spelling of the same letters if one exists (casing, spaces).
        for cand in ranked:
            if _compact(cand.text) == re.sub(r"[^a-z0-9]", "", label):
                brand = cand.text
        evidence.append(f"web address '{domain}'")
        return BrandGuess(brand, 0.6, evidence, [d for d, _ in domains])
    assert best is not None
    return BrandGuess(best.text, 0.2, [f"large text '{best.text}' (no web address)"], [], best.text)
