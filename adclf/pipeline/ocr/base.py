"""What both OCR engines share: image sizing and the per-frame → merged-lines loop."""

from __future__ import annotations

from abc import ABC, abstractmethod

import cv2
import numpy as np

from adclf.pipeline.ocr.lines import merge_lines
from adclf.pipeline.types import Frame, OcrLine

# Longest image side handed to the engine, per `ocr_mode`: text on ad frames is large, so 960 px
# reads it reliably; "Detailed" trades time for small print.
SIDE_BY_MODE = {"Fast": 960, "Detailed": 1280}


def fit(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """Downscale so the longest side is at most `side`; returns (image, scale applied)."""
    h, w = image.shape[:2]
    scale = min(1.0, side / max(h, w, 1))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


class BaseOcrEngine(ABC):
    name = "base"

    def __init__(self, mode: str = "Fast") -> None:
        if mode not in SIDE_BY_MODE:
            raise ValueError(f"unknown OCR mode {mode!r}; choose one of {list(SIDE_BY_MODE)}")
        self.mode = mode
        self.side = SIDE_BY_MODE[mode]

    frames_at_once = 1  # frames are read one after the other in this process

    def read(self, frames: list[Frame]) -> list[OcrLine]:
        readings: list[OcrLine] = []
        for frame in frames:
            readings.extend(self.read_frame(frame))
        return merge_lines(readings)

    def read_each(self, frames: list[Frame]) -> list[list[OcrLine]]:
        return [merge_lines(self.read_frame(frame)) for frame in frames]

    @abstractmethod
    def read_frame(self, frame: Frame) -> list[OcrLine]:
        """Every text line in one frame (boxes in the frame's own pixels), unmerged."""
