"""Who is advertising: every source of evidence weighed together.

Sources, each independent of the others: the on-screen text (end card, large text, a web address),
known brand names found in the text and in the transcript (the brand catalogue, read fuzzily since
OCR and speech recognition misspell them), web addresses spoken in the voice-over, logos seen
in the frames, and a known brand's slogan on screen or in the voice-over. A brand is reported
only when some source names it: taglines, calls to action, prices, numbers, single characters
and everyday words are never a brand on their own evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from adclf.pipeline.providers.brand_words import looks_like_a_name
from adclf.pipeline.providers.embedded_brand import BrandGuess, end_card_start, find_domains
from adclf.pipeline.speech.spoken import domains, glued_domains
from adclf.pipeline.taxonomy.text import fold
from adclf.pipeline.types import Evidence, LogoDetection, OcrLine, SpeechLine

if TYPE_CHECKING:
    from adclf.brands import Brand, BrandCatalogue

# How much one source alone makes us believe a brand (combined as independent evidence).
W_TEXT_WITH_DOMAIN = 0.85  # the end card's name and its web address agree
W_DOMAIN_KNOWN = 0.8  # a web address the catalogue knows
W_DOMAIN = 0.6  # a web address alone ('uber.com' → 'Uber')
W_TEXT_NAME = 0.35  # large text that looks like a name but nothing confirms it
W_CATALOGUE_TEXT = 0.6  # a known brand written on screen
W_CATALOGUE_TEXT_BIG = 0.75  # ... in large type or on the end card
W_SPEECH = 0.6  # a known brand said in the voice-over
W_SPOKEN_DOMAIN_KNOWN = 0.75
# An address heard but unknown to the catalogue is often misheard ('nike dot com' → 'Ike.com'):
# alone it stays under MIN_BRAND_SCORE; the same name on screen confirms it.
W_SPOKEN_DOMAIN = 0.2
W_LOGO_BASE, W_LOGO_SPAN = 0.45, 0.45  # a logo: 0.45 + 0.45 x its match score
# A brand's own slogan ("Because you're worth it"): a person names the brand from it, but
# slogans are quoted, parodied and change hands, so alone it is a fair guess, not a certainty
W_SLOGAN = 0.5
FUZZY_FACTOR = 0.7  # a misspelt reading counts this share of an exact one
WEAK_FACTOR = 0.3  # an everyday word that is also a brand ('Tide', 'Shell') needs support
# A line naming this many brands is a list ("Marvel, Pixar et Star Wars au même endroit",
# "at Walmart, Target and Best Buy"): what the advertiser offers or where it sells, not who it
# is. Each name in it counts as a weak mention, so a list alone names nobody.
LIST_BRANDS = 3
# A name confirmed by listening again (rescored strong, and said twice or written again by a
# hinted pass) counts as a line heard this clearly, whatever the line's first confidence
CONFIRMED_CONFIDENCE = 0.75
DISAGREE_MIN = 0.45  # a second brand this strong is reported as a disagreement
# Below this nothing names the brand: weak mentions alone (an everyday word that is also a brand
# name, 'Fresh', 'Tide') are not enough to report one.
MIN_BRAND_SCORE = 0.25


@dataclass
class BrandSource:
    source: str  # end card | on-screen text | web address | speech | spoken web address | logo
    # | slogan
    text: str  # what was read, heard or seen
    timestamp: float | None
    score: float
    detail: str = ""  # what confirms it ('matches brisko.com')

    def describe(self) -> str:
        at = f" at {self.timestamp:.1f} s" if self.timestamp is not None else ""
        more = f", {self.detail}" if self.detail else ""
        return f"{self.source}{at} ('{self.text}'{more})"


@dataclass
class _Candidate:
    name: str
    known: Brand | None = None
    sources: dict[str, BrandSource] = field(default_factory=dict)  # best per source kind

    def add(self, src: BrandSource) -> None:
        old = self.sources.get(src.source)
        if old is None or src.score > old.score:
            self.sources[src.source] = src

    @property
    def score(self) -> float:
        miss = 1.0
        for src in self.sources.values():
            miss *= 1.0 - min(0.97, src.score)
        return 1.0 - miss


@dataclass
class FusedBrand:
    brand: str
    score: float
    sources: list[BrandSource] = field(default_factory=list)
    known: Brand | None = None
    disagreement: str = ""
    reason: str = ""  # why the brand is empty
    rejected: list[str] = field(default_factory=list)  # readings refused as brands, and why

    def as_raw(self) -> dict[str, Any]:
        return {
            "brand_sources": [
                {"source": s.source, "text": s.text, "timestamp": s.timestamp,
                 "score": round(s.score, 3), "detail": s.detail} for s in self.sources],
            "brand_disagreement": self.disagreement,
            "brand_rejected": self.rejected[:10],
            "catalogue_brand": self.known.name if self.known is not None else None,
            "catalogue_category_id": getattr(self.known, "category_id", None),
        }


class _Pool:
    def __init__(self, catalogue: BrandCatalogue | None) -> None:
        self.catalogue = catalogue
        self.by_key: dict[str, _Candidate] = {}

    def add(self, name: str, src: BrandSource, known: Brand | None = None) -> None:
        if known is None and self.catalogue is not None:
            known = self.catalogue.get(name)
        if known is not None and getattr(known, "exclude", False):
            return
        display = known.name if known is not None else name
        key = fold(display).replace(" ", "").replace("-", "").replace("'", "")
        cand = self.by_key.setdefault(key, _Candidate(display, known))
        cand.known = cand.known or known
        cand.add(src)


def fuse(evidence: Evidence, text_guess: BrandGuess, catalogue: BrandCatalogue | None,
         logo_min_score: float = 0.5) -> FusedBrand:
    pool = _Pool(catalogue)
    rejected: list[str] = []
    _from_text(pool, evidence.ocr_lines, evidence.duration, text_guess, rejected)
    _from_speech(pool, evidence.speech_lines)
    _from_logos(pool, evidence.logos, logo_min_score)
    _from_slogans(pool, evidence.ocr_lines, evidence.speech_lines)
    ranked = sorted(pool.by_key.values(), key=lambda c: -c.score)
    weak = [c for c in ranked if c.score < MIN_BRAND_SCORE]
    rejected += [f"'{c.name}': a weak mention ({_kinds(c)}) with nothing to confirm it"
                 for c in weak[:3]]
    ranked = [c for c in ranked if c.score >= MIN_BRAND_SCORE]
    if not ranked:
        return FusedBrand("", 0.0, reason=_why_unknown(evidence), rejected=rejected)
    best = ranked[0]
    sources = sorted(best.sources.values(), key=lambda s: -s.score)
    fused = FusedBrand(best.name, best.score, sources, best.known, rejected=rejected)
    runner = next((c for c in ranked[1:] if c.score >= DISAGREE_MIN), None)
    if runner is not None:
        fused.disagreement = (
            f"sources disagree: {best.name} from {_kinds(best)} vs {runner.name} from "
            f"{_kinds(runner)}; kept {best.name} ({best.score:.2f} vs {runner.score:.2f})")
    return fused


def _kinds(cand: _Candidate) -> str:
    return " and ".join(src.describe() for src in cand.sources.values())


def _why_unknown(evidence: Evidence) -> str:
    heard = "speech" if evidence.speech_lines else (
        f"speech ({evidence.speech_note})" if evidence.speech_note else "speech")
    return f"no brand named in on-screen text, {heard} or logos"


# ---- on-screen text ---------------------------------------------------------------------------

def _from_text(pool: _Pool, lines: list[OcrLine], duration: float, guess: BrandGuess,
               rejected: list[str]) -> None:
    catalogue = pool.catalogue
    domains = find_domains(lines)
    domain_time = {d: min((ln.timestamp for ln in lines if d.split(".")[0] in ln.text.lower()),
                          default=None) for d, _ in domains}
    for domain, _ in domains:
        known = catalogue.by_domain(domain) if catalogue is not None else None
        if known is not None:
            pool.add(known.name, BrandSource("web address", domain, domain_time.get(domain),
                                             W_DOMAIN_KNOWN), known)
    if guess.brand:
        line = next((ln for ln in lines if ln.text.strip() and guess.line_text
                     and fold(ln.text) == fold(guess.line_text)), None)
        where = "end card" if line is not None and line.timestamp >= end_card_start(
            lines, duration) else "on-screen text"
        stamp = line.timestamp if line is not None else None
        if guess.domain_match:
            pool.add(guess.brand, BrandSource(where, guess.line_text, stamp, W_TEXT_WITH_DOMAIN,
                                              f"matches '{guess.domain_match}'"))
        elif guess.domains and not guess.line_text:  # 'uber.com' alone named it
            pool.add(guess.brand, BrandSource("web address", guess.domains[-1], None, W_DOMAIN))
        else:
            ok, why = looks_like_a_name(guess.brand)
            misread = misread_of(guess.brand, lines) if ok else ""
            if misread:
                ok, why = False, f"a misreading of the line '{misread}'"
            if ok:
                pool.add(guess.brand, BrandSource(where, guess.brand, stamp, W_TEXT_NAME))
            else:
                rejected.append(f"'{guess.brand}': {why}")
    if catalogue is None:
        return
    end_from = end_card_start(lines, duration)
    for line in lines:
        hits = catalogue.find_in_text(line.text)
        listed = _is_list(hits)
        big = line.height_ratio >= 0.08 or line.timestamp >= end_from
        for hit in hits:
            weight = (W_CATALOGUE_TEXT_BIG if big else W_CATALOGUE_TEXT) * _hit_factor(hit, listed)
            pool.add(hit.brand.name, BrandSource("on-screen text", hit.matched, line.timestamp,
                                                 weight, _LISTED if listed else ""), hit.brand)


_LISTED = "one of several brands listed on one line"
# An OCR reading this like the start of another line, but not the same, is that line misread
# (a frame caught mid-transition: 'Un módooin' for 'Un médecin en deux clics', 0.70)
MISREAD_LIKE, MISREAD_SAME = 0.6, 0.95


def misread_of(text: str, lines: list[OcrLine]) -> str:
    """The longer line that `text` garbles the start of, or ''."""
    a = fold(text)
    for line in lines:
        b = fold(line.text)
        if len(b) <= len(a) or b == a:
            continue
        if MISREAD_LIKE <= SequenceMatcher(None, a, b[:len(a)]).ratio() < MISREAD_SAME:
            return line.text
    return ""


def _is_list(hits: list[Any]) -> bool:
    # letters and tech names ("f r" is F# and R) are how addresses and call signs are read out,
    # not a list of advertisers
    named = {h.brand.name for h in hits
             if getattr(h.brand, "kind", "brand") == "brand" and len(h.matched) >= 3}
    return len(named) >= LIST_BRANDS


def _hit_factor(hit: Any, listed: bool = False) -> float:
    factor = FUZZY_FACTOR if getattr(hit, "kind", "exact") == "fuzzy" else 1.0
    if getattr(hit, "weak", False) or listed:
        factor *= WEAK_FACTOR
    return factor * max(0.3, min(1.0, float(getattr(hit, "score", 1.0)) / 0.9))


# ---- speech -----------------------------------------------------------------------------------

def _from_speech(pool: _Pool, lines: list[SpeechLine]) -> None:
    catalogue = pool.catalogue
    for line in lines:
        confidence = max(0.0, min(1.0, line.confidence))
        if line.confirmed:
            # the line's confidence measured the misheard words the confirmation replaced
            confidence = max(confidence, CONFIRMED_CONFIDENCE)
        trust = 0.5 + 0.5 * confidence
        # Whisper often writes the address itself ("nike.com"); "nike dot com" is converted.
        for domain in domains(line.text):
            known = catalogue.by_domain(domain) if catalogue is not None else None
            if line.confirmed and (known is None or known.name == line.confirmed):
                # the name in this address was put there by a later listen's rescoring, not
                # heard: it counts once, as the confirmed name below ('visit tenon.com' became
                # 'Denon.com' for a Danone voice-over and scored as a heard address too)
                continue
            if known is not None:
                pool.add(known.name, BrandSource("spoken web address", domain, line.start,
                                                 W_SPOKEN_DOMAIN_KNOWN * trust), known)
            else:
                ok, _ = looks_like_a_name(domain.split(".")[0])
                if ok:
                    label = domain.split(".")[0]
                    pool.add(label[:1].upper() + label[1:],
                             BrandSource("spoken web address", domain, line.start,
                                         W_SPOKEN_DOMAIN * trust))
        if catalogue is None:
            continue
        if not line.confirmed:
            _glued_address(pool, line, trust)
        # a name put in place of misheard words by the second listen says so
        detail = (f"first heard as '{line.revised_from}', confirmed by listening again"
                  if line.revised_from else "")
        hits = catalogue.find_in_text(line.text)
        listed = _is_list(hits)
        for hit in hits:
            brand = hit.brand
            if line.confirmed:
                if not brand.answers_to(line.confirmed):
                    continue  # only the name listened for was confirmed, not the rest of the line
                # the name confirmed, not a longer one holding it ("L'Oréal" was listened for,
                # "L'Oréal Paris" was written): the listen confirmed no more than its name
                brand = catalogue.get(line.confirmed) or brand
            pool.add(brand.name, BrandSource("speech", hit.matched, line.start,
                                             W_SPEECH * trust * _hit_factor(hit, listed),
                                             detail or (_LISTED if listed else "")),
                     brand)


def _glued_address(pool: _Pool, line: SpeechLine, trust: float) -> None:
    """An address the catalogue does not know whose name the recogniser split into words
    ("Visit Doctor Lib.FR"): glued to the word or two said before it, it may be a catalogue
    brand's own address, spelt exactly or nearly ("doctorlib.fr" for doctolib.fr). Nearly
    counts only for a brand that has an address with that ending, as a misspelt reading."""
    catalogue = pool.catalogue
    assert catalogue is not None
    done: set[str] = set()
    for heard, glued in glued_domains(line.text):
        if heard in done or catalogue.by_domain(heard) is not None:
            continue
        label, tld = glued.rsplit(".", 1)
        known = catalogue.by_domain(glued)
        if known is not None:
            done.add(heard)
            pool.add(known.name, BrandSource("spoken web address", glued, line.start,
                                             W_SPOKEN_DOMAIN_KNOWN * trust,
                                             f"heard as '{heard}'"), known)
            continue
        for hit in catalogue.find_in_text(label):
            if hit.weak or hit.matched.lower() != label or \
                    not any(d.endswith("." + tld) for d in hit.brand.domains):
                continue
            done.add(heard)
            pool.add(hit.brand.name, BrandSource(
                "spoken web address", glued, line.start,
                W_SPOKEN_DOMAIN_KNOWN * trust * _hit_factor(hit),
                f"heard as '{heard}', nearly {hit.brand.domains[0]}"), hit.brand)
            break


# ---- logos ------------------------------------------------------------------------------------

def _from_logos(pool: _Pool, logos: list[LogoDetection], min_score: float) -> None:
    catalogue = pool.catalogue
    for det in logos:
        if det.score < min_score:
            continue
        known = None
        if catalogue is not None:
            known = (catalogue.by_logo(det.key) if det.key and det.source == "gallery" else None) \
                or catalogue.get(det.brand)
        weight = W_LOGO_BASE + W_LOGO_SPAN * max(0.0, min(1.0, det.score))
        pool.add(known.name if known is not None else det.brand,
                 BrandSource("logo", det.brand, det.timestamp, weight), known)


# ---- slogans ----------------------------------------------------------------------------------

def _from_slogans(pool: _Pool, ocr: list[OcrLine], speech: list[SpeechLine]) -> None:
    catalogue = pool.catalogue
    if catalogue is None:
        return
    for line in ocr:
        for hit in catalogue.find_slogans(line.text):
            pool.add(hit.brand.name, BrandSource("slogan", hit.matched, line.timestamp,
                                                 W_SLOGAN * hit.score,
                                                 f"{hit.brand.name}'s slogan, on screen"),
                     hit.brand)
    for sl in speech:
        trust = 0.5 + 0.5 * max(0.0, min(1.0, sl.confidence))
        for hit in catalogue.find_slogans(sl.text):
            pool.add(hit.brand.name, BrandSource("slogan", hit.matched, sl.start,
                                                 W_SLOGAN * trust * hit.score,
                                                 f"{hit.brand.name}'s slogan, said"),
                     hit.brand)
