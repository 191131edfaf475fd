"""The table's key for a word: stable across processes and Python versions (unlike hash())."""

from __future__ import annotations

import hashlib


def word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
