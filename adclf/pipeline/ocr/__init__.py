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
]


def get_ocr_engine(name: str, mode: str = "Fast", threads: int = 0) -> BaseOcrEngine:
    """`name` is "rapidocr" or "tesseract"; `mode` is the job's `ocr_mode` ("Fast" | "Detailed");
    `threads` caps the engine's CPU threads (0: the engine's default). Models load once per
    process and are shared by every engine object."""
    if name == "rapidocr":
        from adclf.pipeline.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine(mode, threads)
    if name == "tesseract":
        from adclf.pipeline.ocr.tesseract import TesseractEngine

        return TesseractEngine(mode, threads)
    raise BadInput(f"unknown OCR engine {name!r}; choose one of {list(ENGINE_NAMES)}")
