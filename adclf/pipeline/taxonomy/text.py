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
