"""Where the word table lives and what it is built from."""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("en", "fr")
WORDLIST = "best"  # wordfreq's 'large' list for both languages
DEFAULT_DIR = Path(__file__).resolve().parent / "_table"
HASHES = "hashes.npy"  # sorted uint64: the first 8 bytes of blake2b(word)
BINS = "bins.npy"  # uint16 per (word, language): wordfreq's centibel bin, ABSENT when not listed
META = "meta.json"
ABSENT = 0xFFFF
BUILD_VERSION = 1  # bump when what a table entry is changes


def wordfreq_version() -> str:
    from importlib.metadata import version

    return version("wordfreq")
