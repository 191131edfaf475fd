"""Text normalisation shared by the catalogue and the matcher: case, accents, apostrophes,
hyphens and spacing are folded so that "McDonald's", "mcdonalds", "Mc Donald’s" and the ASR form
"mc donalds" meet on one key ("mcdonalds")."""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# A token is a run of letters/digits; apostrophes inside a word are dropped ("mcdonald's").
# A trailing "+" is said "plus" ("Disney+" -> "disney plus").
_TOKEN = re.compile(r"[a-z0-9]+(?:['’ʼ`´][a-z0-9]+)*(?:\+(?![a-z0-9]))?")
_APOS = re.compile(r"['’ʼ`´]")
_NON_KEY = re.compile(r"[^a-z0-9]")


def fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold()


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0x2000):
        ch = chr(code)
        folded = fold_char(ch)
        if folded != ch:
            table[code] = folded[:1] if folded.strip() else " "
    # one-char forms for the ligatures and typographic marks that ads use
    table.update({ord("œ"): "o", ord("Œ"): "o", ord("æ"): "a", ord("Æ"): "a", ord("ß"): "s"})
    for quote in "’ʼ`´":
        table[ord(quote)] = "'"
    return table


_TRANSLATE = _table()


def fold(text: str) -> str:
    """Lower case without accents, one char for one char (so offsets stay valid). Callers pass
    NFC text (decomposed accents would split words)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few capitals lower to two chars ("İ"): go char by char
        lowered = "".join(ch.lower()[:1] for ch in text)
    return lowered.translate(_TRANSLATE)


def tokens(text: str) -> list[tuple[str, int, int, bool]]:
    """(token, start, end, possessive) for each word of `text`; offsets index `text` itself."""
    out: list[tuple[str, int, int, bool]] = []
    for m in _TOKEN.finditer(fold(text)):
        raw = m.group(0)
        plus = raw.endswith("+")
        raw = raw.rstrip("+")
        word = _APOS.sub("", raw)
        poss = word != raw and raw.endswith(("'s", "’s"))
        out.append((word, m.start(), m.start() + len(raw), poss))
        if plus:
            out.append(("plus", m.end() - 1, m.end(), False))
    return out


def key_tokens(name: str) -> list[str]:
    return [t for t, _, _, _ in tokens(name)]


def key(name: str) -> str:
    """The joined key of a name: "Coca-Cola" -> "cocacola", "H&M" -> "hm"."""
    return "".join(key_tokens(name))


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(everyday words, proper words): English from SCOWL (see data/README.md) and a short
    hand-written French list. Everyday words are lower-case dictionary entries; proper words
    are capitalised entries such as place names and first names."""
    data = resources.files("adclf.brands").joinpath("data").joinpath("words.txt.gz")
    common: set[str] = set()
    proper: set[str] = set()
    with gzip.open(str(data), "rt", encoding="utf-8") as fh:
        for line in fh:
            word = line.strip()
            if not word or word.startswith("#"):
                continue
            target = proper if word[0].isupper() else common
            target.add(_NON_KEY.sub("", fold(word)))
    proper -= common
    return frozenset(common), frozenset(proper)


def is_common_word(text: str) -> bool:
    common, _ = dictionary()
    toks = key_tokens(text)
    return len(toks) == 1 and toks[0] in common


def is_dictionary_word(text: str) -> bool:
    common, proper = dictionary()
    toks = key_tokens(text)
    return len(toks) == 1 and (toks[0] in common or toks[0] in proper)
