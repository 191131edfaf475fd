"""Builds the word table from the wordfreq package's own data (run by scripts/setup.sh, or by the
first process that needs a missing table, in a child process so its ~70 MB of Python
dictionaries never enter a worker).

    python -m adclf.lexicon.build [--force] [--out DIR]

Does nothing when the table on disk was built from the same wordfreq version and BUILD_VERSION."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from adclf.derived import build_main, replace_file
from adclf.lexicon.files import (
    ABSENT,
    BINS,
    BUILD_VERSION,
    DEFAULT_DIR,
    HASHES,
    LANGUAGES,
    META,
    WORDLIST,
    wordfreq_version,
)
from adclf.lexicon.hashing import word_hash


def is_current(out: Path) -> bool:
    try:
        meta = json.loads((out / META).read_text())
    except (OSError, ValueError):
        return False
    return ((out / HASHES).exists() and (out / BINS).exists()
            and meta.get("build_version") == BUILD_VERSION
            and meta.get("wordfreq") == wordfreq_version())


def build(out: Path = DEFAULT_DIR) -> dict[str, object]:
    from wordfreq import get_frequency_list

    started = time.perf_counter()
    bins: dict[int, list[int]] = {}
    owner: dict[int, str] = {}
    for column, lang in enumerate(LANGUAGES):
        for index, bucket in enumerate(get_frequency_list(lang, WORDLIST)):
            for word in bucket:
                key = word_hash(word)
                if owner.setdefault(key, word) != word:
                    # two words share a hash: refuse rather than answer one word for another
                    raise RuntimeError(f"word hash collision: {word!r} and {owner[key]!r}")
                bins.setdefault(key, [ABSENT] * len(LANGUAGES))[column] = index
    keys = np.fromiter(bins, dtype=np.uint64, count=len(bins))
    order = np.argsort(keys)
    table = np.array([bins[int(k)] for k in keys[order]], dtype=np.uint16)
    meta = {"build_version": BUILD_VERSION, "wordfreq": wordfreq_version(),
            "languages": list(LANGUAGES), "words": int(len(keys)),
            "seconds": round(time.perf_counter() - started, 1)}
    out.mkdir(parents=True, exist_ok=True)
    replace_file(out / HASHES, lambda fh: np.save(fh, keys[order]))
    replace_file(out / BINS, lambda fh: np.save(fh, table))
    # last: its presence marks the table current
    replace_file(out / META, lambda fh: fh.write(json.dumps(meta).encode()))
    return meta


def main() -> None:
    build_main(__doc__, DEFAULT_DIR, is_current, build, lambda meta, out: (
        f"lexicon: {meta['words']} words ({', '.join(LANGUAGES)}) in {meta['seconds']} s "
        f"-> {out}"))


if __name__ == "__main__":
    main()
