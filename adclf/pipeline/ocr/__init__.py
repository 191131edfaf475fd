"""Offline OCR engines behind `adclf.pipeline.types.OcrEngine`, chosen per job by name."""

from __future__ import annotations

from adclf.errors import BadInput
from adclf.pipeline.ocr.base import SIDE_BY_MODE, BaseOcrEngine
from adclf.pipeline.ocr.lines import LARGE_TEXT_RATIO, merge_lines, normalise, occurrences

ENGINE_NAMES = ("rapidocr", "tesseract")

__all__ = [
    "ENGINE_NAMES",
    "LARGE_TEXT_RATIO",
    "SIDE_BY_MODE",
    "BaseOcrEngine",
    "get_ocr_engine",
    "merge_lines",
    "normalise",
    "occurrences",
    "set_default_threads",
]


_default_threads = 0


def set_default_threads(threads: int) -> None:
    """CPU threads for engines made without an explicit count, for this whole process (a worker
    sets it once from its share of the node's cores, so every caller shares one loaded model)."""
    global _default_threads
    _default_threads = max(0, int(threads))


def get_ocr_engine(name: str, mode: str = "Fast", threads: int | None = None) -> BaseOcrEngine:
    """`name` is "rapidocr" or "tesseract"; `mode` is the job's `ocr_mode` ("Fast" | "Detailed");
    `threads` caps the engine's CPU threads (None: the process default, see
    `set_default_threads`; 0: the engine's own default). Models load once per process and
    thread count, and are shared by every engine object, unless the process serves them from
    elsewhere (`model_source`: a node's model actor)."""
    from adclf.pipeline import model_source

    source = model_source.current()
    served = source.ocr_engine(name, mode) if source is not None else None
    if served is not None:
        return served
    threads = _default_threads if threads is None else threads
    if name == "rapidocr":
        from adclf.pipeline.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine(mode, threads)
    if name == "tesseract":
        from adclf.pipeline.ocr.tesseract import TesseractEngine

        return TesseractEngine(mode, threads)
    raise BadInput(f"unknown OCR engine {name!r}; choose one of {list(ENGINE_NAMES)}")
