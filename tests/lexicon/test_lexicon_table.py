"""The shared word table answers what wordfreq answers, without wordfreq's dictionaries in the
process that asks."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from wordfreq import get_frequency_list, zipf_frequency

from adclf.lexicon import everyday_zipf, zipf
from adclf.lexicon.build import build, is_current
from adclf.lexicon.files import DEFAULT_DIR, LANGUAGES, META
from adclf.lexicon.table import WordTable, _open

TRICKY = ["Coca-Cola", "l'été", "2024", "Don't", "", "NIKE", "ÉTÉ", "café", "x", "Nordvik",
          "Visit nordvik dot com", "h&m", "7-eleven", "McDonald’s", "O2", "3M", "iPhone 15", "ça",
          "œuvre", "Brasserie Roux", "!!!", "zalando", "jouez", "responsibly"]


def _sample() -> list[str]:
    rng = random.Random(7)
    words = list(TRICKY)
    for lang in LANGUAGES:
        for bucket in get_frequency_list(lang, "best"):
            words += rng.sample(bucket, min(len(bucket), 3))
    return words


def test_zipf_is_wordfreqs_own_answer() -> None:
    words = _sample()
    assert len(words) > 1500
    wrong = [(w, lang, zipf(w, lang), zipf_frequency(w, lang))
             for w in words for lang in LANGUAGES if zipf(w, lang) != zipf_frequency(w, lang)]
    assert wrong == []


def test_everyday_zipf_is_the_higher_language() -> None:
    assert everyday_zipf("jouez") == zipf_frequency("jouez", "fr") > zipf_frequency("jouez", "en")
    assert everyday_zipf("the") == zipf_frequency("the", "en")
    assert everyday_zipf("zqxjvw") == 0.0


def test_the_table_is_memory_mapped() -> None:
    assert is_current(DEFAULT_DIR)  # scripts/setup.sh built it
    table = WordTable()
    assert isinstance(table.hashes, np.memmap) and isinstance(table.bins, np.memmap)
    assert len(table) == json.loads((DEFAULT_DIR / META).read_text())["words"] > 500_000


def test_a_process_asking_about_words_does_not_hold_wordfreqs_dictionaries() -> None:
    """wordfreq's own lookup adds ~68 MB of dictionaries to the process (measured); the table
    a few MB of mapped pages shared with every other process."""
    probe = """
import resource, sys
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
mode = sys.argv[1]
if mode == 'table':
    from adclf.lexicon import everyday_zipf as look
else:
    from wordfreq import zipf_frequency
    def look(w): return max(zipf_frequency(w, 'en'), zipf_frequency(w, 'fr'))
import numpy, wordfreq  # both modes tokenize with wordfreq; the table is numpy's
wordfreq.lossy_tokenize('warm up', 'en')
before = rss()
for w in ['hello', 'bonjour', 'jacket', 'bière', 'nordvik', 'the']:
    look(w)
print(rss() - before)
"""
    grew = {mode: float(subprocess.run([sys.executable, "-c", probe, mode], check=True,
                                       capture_output=True, text=True).stdout)
            for mode in ("table", "wordfreq")}
    assert grew["wordfreq"] > 40
    assert grew["table"] < 8


def test_a_missing_table_is_built_once_in_a_child_process(tmp_path: Path) -> None:
    folder = tmp_path / "words"
    table = _open(folder)
    assert table is not None and is_current(folder)
    assert len(table) == len(WordTable(DEFAULT_DIR))
    # stale: another wordfreq built it
    meta = json.loads((folder / META).read_text())
    (folder / META).write_text(json.dumps({**meta, "wordfreq": "0.0"}))
    assert not is_current(folder)
    assert _open(folder) is not None and is_current(folder)


def test_an_unwritable_folder_falls_back_to_wordfreq(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert _open(blocked / "words") is None


def test_build_refuses_a_hash_collision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import adclf.lexicon.build as b

    monkeypatch.setattr(b, "word_hash", lambda word: len(word))
    with pytest.raises(RuntimeError, match="collision"):
        build(tmp_path)
