"""Find catalogue brands in OCR or transcript text.

Index (built once per catalogue): every name and alias folded to its joined key ("Coca-Cola",
"coca cola" and "cocacola" all give "cocacola"), plus a symmetric-delete table (each key with one
letter dropped) for misspellings. A call tokenises the text once, looks up every run of up to
`max_tokens` tokens (joining them, so ASR's "mc donalds" meets "mcdonalds"), keeps the longest
non-overlapping matches, then tries misspellings on the words nothing matched.

One module of a little over 300 lines: the index and the reader that walks it are one concept,
and the folding rules must stay beside both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adclf.brands.model import Brand, BrandHit, HitKind
from adclf.brands.normalize import dictionary, fold, key_tokens, tokens

if TYPE_CHECKING:
    from adclf.brands.catalogue import BrandCatalogue

# (brand index, start, end, kind, weak, score) of one mention
_Found = list[tuple[int, int, int, HitKind, bool, float]]
SCORE = {"exact": 0.95, "alias": 0.9, "domain": 0.97}
WEAK_SCORE = {"exact": 0.35, "alias": 0.3, "domain": 0.97}
_TLDS = ("com|ca|fr|net|org|co|io|us|uk|be|ch|de|es|it|app|tv|me|ai|gg|eu|info|biz|shop|store|"
         "quebec|paris|ly|to|so|xyz|dev|online|site")
_DOMAIN = re.compile(rf"(?<![a-z0-9.@-])((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS}))"
                     r"(?![a-z0-9-])")
_SPOKEN = re.compile(rf"\b([a-z0-9][a-z0-9-]*)\s+(?:dot|point)\s+({_TLDS})\b")


@dataclass(frozen=True)
class _Entry:
    brand: int  # index into Matcher.brands
    kind: HitKind  # exact | alias
    ntok: int  # tokens of the name as written
    weak: bool
    initials: str  # first letter of each token: a fuzzy guess over several words must agree
    caps: bool  # an upper-case acronym that is also a word ("UPS"): only "UPS" is strong


def _osa(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, or limit + 1 once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


REAL_WORD_ZIPF = 3.0  # 'leçons' 3.4, 'winter' 4.6; 'toyoda' 1.3, 'mcdonals' 0


def allowed_edits(length: int) -> int:
    return 0 if length < 5 else 1 if length < 8 else 2


class Matcher:
    def __init__(self, brands: list[Brand], catalogue: BrandCatalogue | None = None) -> None:
        self.brands = brands
        self.catalogue = catalogue
        common, proper = dictionary()
        self._common = common
        self._words = common | proper
        self.index: dict[str, list[_Entry]] = {}
        self.deletes: dict[str, set[str]] = {}
        # first and last words of multi-word names: a fuzzy guess over several words of the text
        # must begin or end with one of them ("tim hortens", "burgr king")
        self.multi_ends: set[str] = set()
        self.short: dict[str, set[str]] = {}  # 4-letter names: only "name + 1 letter" is fuzzy
        self.max_tokens = 1
        self.max_len = 1
        for i, b in enumerate(brands):
            for text, kind, auto in self._variants(b):
                toks = key_tokens(text)
                k = "".join(toks)
                if not k:
                    continue
                weak = self._weak(b, kind, toks)
                caps = text.isupper() and len(k) <= 5 and k in common
                entry = _Entry(i, kind, len(toks), weak, "".join(t[0] for t in toks), caps)
                bucket = self.index.setdefault(k, [])
                if all(e.brand != i for e in bucket):
                    bucket.append(entry)
                self.max_tokens = max(self.max_tokens, len(toks) + 1)
                self.max_len = max(self.max_len, len(k))
                if auto or caps:  # "A et W" is no spelling anyone misspells
                    continue
                if len(k) == 4 and k.isalpha() and self._fuzzy_ok(b, weak, k + "?"):
                    self.short.setdefault(k, set()).add(k)
                if self._fuzzy_ok(b, weak, k) and len(toks) >= 2:
                    self.multi_ends |= {toks[0], toks[-1]}
                if self._fuzzy_ok(b, weak, k):
                    self.deletes.setdefault(k, set()).add(k)
                    for d in {k[:j] + k[j + 1:] for j in range(len(k))}:
                        self.deletes.setdefault(d, set()).add(k)
        self.max_tokens = min(self.max_tokens, 8)
        # every prefix of every key: a run of words stops growing as soon as it leaves this set
        self.prefixes = {k[:n] for k in self.index for n in range(1, len(k) + 1)}
        self.multi_ends -= {w for w in self.multi_ends if len(w) <= 3 and w in self._common}
        self._pos = {id(b): i for i, b in enumerate(brands)}
        # misspelling look-ups are pure functions of the word: keep them across calls
        self._near_cache: dict[str, tuple[str, int] | None] = {}

    @staticmethod
    def _variants(b: Brand) -> list[tuple[str, HitKind, bool]]:
        """(text, kind, generated) for the name, the aliases and their spoken forms."""
        out: list[tuple[str, HitKind, bool]] = [(b.name, "exact", False)]
        out += [(a, "alias", False) for a in b.aliases]
        for text, _, _ in list(out):
            if "&" in text:
                out += [(text.replace("&", " and "), "alias", True),
                        (text.replace("&", " et "), "alias", True)]
        if b.name.lower().startswith("the ") and len(key_tokens(b.name)) >= 3:
            out.append((b.name[4:], "alias", True))
        return out

    def _weak(self, b: Brand, kind: HitKind, toks: list[str]) -> bool:
        if b.kind == "tech" or len("".join(toks)) <= 2:
            return True
        spelt = len(toks) == 3 and toks[1] in ("and", "et") and len(toks[0]) == len(toks[2]) == 1
        if (len(toks) >= 2 and len("".join(toks)) <= 5 and not spelt
                and all(t in self._common for t in toks)):
            return True  # "B&You" is "b you", "The Y" is "the y"; "h and m" is a name
        if kind == "exact":
            return b.common_word
        if len(toks) == 1:
            return b.common_word or toks[0] in self._words
        # "The Bay", "Like a good neighbor" (but not "H and M": letters are no phrase)
        return all(t in self._common for t in toks) and sum(len(t) >= 3 for t in toks) >= 2

    def _fuzzy_ok(self, b: Brand, weak: bool, k: str) -> bool:
        return (not weak and not b.exclude and b.kind != "tech" and len(k) >= 5
                and k[0].isalpha() and k not in self._common)

    def _everyday(self, q: str) -> bool:
        """A real word is not a misspelling. Longer proper nouns may be ("Toyoda" is a name, and
        ASR's spelling of Toyota); short ones are too often first names ("Linda" vs Lindt)."""
        return q in self._common or (len(q) <= 5 and q in self._words)

    # matching
    def _lookup(self, k: str, n: int) -> list[_Entry]:
        entries = self.index.get(k)
        if not entries:
            return []
        return [e for e in entries if e.ntok == n or len(k) >= 6]

    def find(self, text: str) -> list[BrandHit]:
        import unicodedata

        text = unicodedata.normalize("NFC", text)
        toks = tokens(text)
        words = [t[0] for t in toks]
        covered = [False] * len(toks)
        found: _Found = []  # brand, start, end, ...
        self._domains(text, toks, covered, found)
        cands: list[tuple[int, int, list[_Entry]]] = []
        for i in range(len(toks)):
            k = ""
            for j in range(i, min(len(toks), i + self.max_tokens)):
                k += words[j]
                entries = self._lookup(k, j - i + 1)
                if not entries and toks[j][3]:  # "Nike's" -> "nike"
                    entries = self._lookup(k[:-1], j - i + 1)
                if entries:
                    cands.append((i, j, entries))
                if k not in self.prefixes:
                    break
        cands.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest spans first
        for i, j, entries in cands:
            if any(covered[i:j + 1]):
                continue
            n = j - i + 1
            if n > 1 and all(w in self._common for w in words[i:j + 1]):
                # "differ in" is not "Differin", "point s" not "Point S"
                entries = [e for e in entries if e.ntok >= n]
                if not entries:
                    continue
            for t in range(i, j + 1):
                covered[t] = True
            # a curated advertiser beats a simple-icons namesake; a name beats an alias
            brandish = [e for e in entries if self.brands[e.brand].kind == "brand"] or entries
            exact = [e for e in brandish if e.kind == "exact"] or brandish
            ambiguous = len(exact) > 1
            span = text[toks[i][1]:toks[j][2]]
            for e in exact:
                weak = e.weak or ambiguous or (e.caps and not span.isupper())
                score = (WEAK_SCORE if weak else SCORE)[e.kind]
                found.append((e.brand, toks[i][1], toks[j][2], e.kind, weak, score))
        # A real English or French word ('leçons', 'winter') is no misspelt brand name: only
        # words that are in no dictionary are tried as misspellings (accents kept for lookup).
        real = [self._real_word(text[a:b], w) for w, a, b, _ in toks]
        self._fuzzy(toks, words, [c or r for c, r in zip(covered, real, strict=True)], found)
        return self._collect(text, found)

    def _real_word(self, surface: str, key: str) -> bool:
        if len(key) < 5 or key in self.multi_ends:
            return False  # short words are handled by the rules above; name words may be misspelt
        from adclf.lexicon import everyday_zipf

        return everyday_zipf(surface.lower()) >= REAL_WORD_ZIPF

    def _domains(self, text: str, toks: list[tuple[str, int, int, bool]], covered: list[bool],
                 found: _Found) -> None:
        if self.catalogue is None or ("." not in text and " dot " not in text.lower()
                                      and " point " not in text.lower()):
            return
        folded = fold(text)
        spans = [(m.start(1), m.end(1), m.group(1)) for m in _DOMAIN.finditer(folded)]
        spans += [(m.start(), m.end(), f"{m.group(1)}.{m.group(2)}")
                  for m in _SPOKEN.finditer(folded)]
        pos = self._pos
        for s, e, dom in spans:
            b = self.catalogue.by_domain(dom)
            if b is None or id(b) not in pos:
                continue
            found.append((pos[id(b)], s, e, "domain", False, SCORE["domain"]))
            for t, (_, ts, te, _) in enumerate(toks):
                if ts >= s and te <= e:
                    covered[t] = True

    def _fuzzy(self, toks: list[tuple[str, int, int, bool]], words: list[str],
               covered: list[bool], found: _Found) -> None:
        cache: dict[str, tuple[str, int] | None] = {}
        picks: list[tuple[int, int, int, str]] = []  # -len, i, j, key
        for i in range(len(toks)):
            q = ""
            for j in range(i, min(len(toks), i + 3)):
                if covered[j]:
                    break
                q += words[j]
                n = j - i + 1
                if len(q) < 5 or q.isdigit() or (n == 1 and self._everyday(q)):
                    continue
                if n > 1 and (words[i] not in self.multi_ends and words[j] not in self.multi_ends
                              or all(w in self._common for w in words[i:j + 1])):
                    continue  # a misspelt name has a word that is no real word
                if len(q) > self.max_len + 2:
                    break
                if q not in cache:
                    if q in self._near_cache:
                        near = self._near_cache[q]
                    else:
                        near = self._nearest(q)
                        if len(self._near_cache) > 200_000:
                            self._near_cache.clear()
                        self._near_cache[q] = near
                    cache[q] = near
                hit = cache[q]
                if hit is None:
                    continue
                k, _ = hit
                initials = "".join(w[0] for w in words[i:j + 1])
                if n > 1 and all(abs(e.ntok - n) > 1 or e.ntok < 2 or e.initials[0] != q[0]
                                 or (e.ntok == n and e.initials != initials)
                                 for e in self.index[k]):
                    continue  # don't glue words into a brand by guesswork
                picks.append((-len(q), i, j, q))
        picks.sort()
        for _, i, j, q in picks:
            if any(covered[i:j + 1]):
                continue
            hit = cache[q]
            assert hit is not None
            k, dist = hit
            for t in range(i, j + 1):
                covered[t] = True
            for e in self.index[k]:
                score = (0.8 if dist == 1 and len(k) >= 8 else 0.7 if dist == 1 else 0.6)
                score -= 0.05 if e.kind == "alias" else 0.0
                found.append((e.brand, toks[i][1], toks[j][2], "fuzzy", False, score))

    def _nearest(self, q: str) -> tuple[str, int] | None:
        if len(q) == 5 and q[:4] in self.short and q.isalpha():  # ASR's "nikey" for "Nike"
            return q[:4], 1
        cands: set[str] = set()
        for v in {q} | {q[:j] + q[j + 1:] for j in range(len(q))}:
            got = self.deletes.get(v)
            if got:
                cands |= got
        best: tuple[int, int, str] | None = None
        for k in cands:
            if k == q or k[0] != q[0]:
                continue
            limit = allowed_edits(len(k))
            if limit == 0 or (len(k) != len(q) and q in self._words):
                continue  # a name ("Philip", "Berlin") only passes for a typo, not a letter less
            if len(k) <= 7 and q[1] != k[1]:
                continue  # short names: the first two letters must be right ("sniffer")
            d = _osa(q, k, limit)
            # ties by the name itself: `cands` is a set, iterated in hash order, which changes
            # from one process to the next
            if d <= limit and (best is None or (d, -len(k), k) < best):
                best = (d, -len(k), k)
        return (best[2], best[0]) if best else None

    def _collect(self, text: str,
                 found: _Found) -> list[BrandHit]:
        best: dict[int, BrandHit] = {}
        for bi, s, e, kind, weak, score in found:
            b = self.brands[bi]
            if b.exclude:
                continue
            prev = best.get(bi)
            count = 1 if prev is None else prev.count + 1
            if prev is None or (not weak, score) > (not prev.weak, prev.score):
                best[bi] = BrandHit(b, text[s:e], score, kind, weak, s, e, count)
            else:
                best[bi] = BrandHit(prev.brand, prev.matched, prev.score, prev.kind, prev.weak,
                                    prev.start, prev.end, count)
        return sorted(best.values(), key=lambda h: (h.weak, -h.score, h.start))
