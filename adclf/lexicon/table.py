"""wordfreq's English and French frequencies as two memory-mapped arrays.

wordfreq keeps each language as a dict of ~320,000 Python strings: +68 MB in every process that
asks it about one word, and each Ray worker did. The table holds the same data as sorted 64-bit
word hashes and one centibel bin per language (~6 MB on disk). It is memory-mapped read-only, so
the page cache holds one copy for every process on the machine. Lookups follow wordfreq's own
`word_frequency` (its tokenizer, digit smashing and 1/f = 1/f1 + 1/f2 for several tokens), so
`zipf` returns what `wordfreq.zipf_frequency` returns (tests/lexicon checks that on a sample).

A missing or stale table (a checkout that skipped scripts/setup.sh) is built once, in a child
process; when that cannot write the package folder, wordfreq's dictionaries are used as before."""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from adclf.lexicon.files import ABSENT, BINS, DEFAULT_DIR, HASHES, LANGUAGES, META
from adclf.lexicon.hashing import word_hash

log = logging.getLogger(__name__)


class WordTable:
    """Frequencies of single wordfreq tokens (already normalised by its tokenizer)."""

    def __init__(self, folder: Path = DEFAULT_DIR) -> None:
        self.hashes = np.load(folder / HASHES, mmap_mode="r")
        self.bins = np.load(folder / BINS, mmap_mode="r")
        self.meta = json.loads((folder / META).read_text())
        if self.meta.get("languages") != list(LANGUAGES) or len(self.bins) != len(self.hashes):
            raise ValueError(f"the word table in {folder} does not match this adclf")

    def __len__(self) -> int:
        return len(self.hashes)

    def frequency(self, token: str, lang: str) -> float:
        """wordfreq's frequency of one token in `lang`, 0.0 when the list does not have it."""
        key = np.uint64(word_hash(token))
        i = int(np.searchsorted(self.hashes, key))
        if i >= len(self.hashes) or self.hashes[i] != key:
            return 0.0
        cb = int(self.bins[i, LANGUAGES.index(lang)])
        return 0.0 if cb == ABSENT else 10 ** (-cb / 100)


_lock = threading.Lock()
_table: WordTable | None = None
_fallback: Callable[[str, str], float] | None = None


def _source() -> tuple[WordTable | None, Callable[[str, str], float] | None]:
    global _table, _fallback
    with _lock:
        if _table is None and _fallback is None:
            _table = _open()
            if _table is None:
                from wordfreq import zipf_frequency

                _fallback = zipf_frequency
        return _table, _fallback


def _open(folder: Path = DEFAULT_DIR) -> WordTable | None:
    from adclf.lexicon.build import is_current

    if not is_current(folder):
        # a child process: the build's dictionaries never enter this one's heap
        done = subprocess.run([sys.executable, "-m", "adclf.lexicon.build", "--out", str(folder)],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not is_current(folder):
            log.warning("word table could not be built in %s (%s): using wordfreq's "
                        "dictionaries in this process", folder, done.stderr.strip()[-300:])
            return None
    return WordTable(folder)


def word_frequency(word: str, lang: str) -> float:
    """wordfreq.word_frequency(word, lang) for English or French, from the table."""
    from wordfreq import lossy_tokenize
    from wordfreq.numbers import digit_freq, smash_numbers

    table, _ = _source()
    assert table is not None
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return 0.0
    one_over = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        freq = table.frequency(smashed, lang)
        if freq == 0.0:
            return 0.0
        if smashed != token:
            freq *= digit_freq(token)
        one_over += 1.0 / freq
    freq = 1.0 / one_over
    # wordfreq keeps 3 significant digits
    return round(freq, math.floor(-math.log10(freq)) + 3)


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """wordfreq.zipf_frequency(word, lang): log10 of occurrences per billion words, 0 for
    a word the lists do not have."""
    table, fallback = _source()
    if table is None and fallback is not None:
        return float(fallback(word, lang))
    freq = word_frequency(word, lang)
    return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0


def everyday_zipf(word: str) -> float:
    """How common `word` is in English or French, whichever is higher."""
    return max(zipf(word, lang) for lang in LANGUAGES)
