"""Text normalisation shared by the mapper and the embedded classifier: case-, accent- and
punctuation-insensitive, so that OCR's 'CHAUSSURES de Course!' meets 'chaussures de course'."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.replace("'", " ")).split())


def tokens(text: str) -> list[str]:
    return fold(text).split()


# Everyday words in English and French. An alias that folds to one of them ('thé' → 'the') would
# fire on almost any copy, so it is never used as a cue.
STOP_WORDS = frozenset("""
the a an and or of to in on at for with by from is are be it you your our we this that new now
le la les un une des de du et ou en au aux pour par sur avec est sont ce cette vous votre nos
the plus tout tous go get see more
""".split())  # noqa: SIM905 (a word list reads better as text)
