"""Tesseract (Debian `tesseract-ocr` + `tesseract-ocr-fra`) via pytesseract, English + French."""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

import cv2
import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.ocr.base import BaseOcrEngine, fit
from adclf.pipeline.ocr.lines import make_line
from adclf.pipeline.types import Frame, OcrLine

LANGS = "eng+fra"
# Tesseract's per-word confidence (0..100) is harsh on accented words ("l'été" read right at 2),
# so words are kept and whole lines are judged: a line averaging below this is mostly noise.
MIN_LINE_CONF = 25.0
# psm 3 (automatic layout) keeps a card line together; psm 11 split lines into word groups
CONFIG = "--oem 1 --psm 3"


class TesseractEngine(BaseOcrEngine):
    name = "tesseract"

    def __init__(self, mode: str = "Fast", threads: int = 0) -> None:
        super().__init__(mode)
        if shutil.which("tesseract") is None:
            raise PipelineError(
                "OCR engine 'tesseract' is not installed (apt-get install tesseract-ocr "
                "tesseract-ocr-fra)"
            )
        # tesseract's OpenMP threads mostly spin on ad-sized images; one per job is enough
        os.environ.setdefault("OMP_THREAD_LIMIT", str(threads or 1))

    def read_frame(self, frame: Frame) -> list[OcrLine]:
        import pytesseract

        image, scale = fit(frame.image, self.side)
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        if float(np.mean(grey)) < 110:
            # tesseract reads dark text on light paper best; ad cards are often the reverse
            grey = 255 - grey
        try:
            data = pytesseract.image_to_data(
                grey, lang=LANGS, config=CONFIG, output_type=pytesseract.Output.DICT, timeout=30
            )
        except RuntimeError as err:  # pytesseract's timeout
            raise PipelineError(f"tesseract timed out: {err}") from err
        except pytesseract.TesseractError as err:
            raise PipelineError(f"tesseract failed: {err}") from err

        words: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for i, text in enumerate(data["text"]):
            conf = float(data["conf"][i])
            if text.strip() and conf >= 0:  # -1 marks layout rows, not words
                words[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(i)

        lines: list[OcrLine] = []
        frame_h = frame.image.shape[0]
        for idx in words.values():
            idx.sort(key=lambda i: data["left"][i])
            text = " ".join(data["text"][i] for i in idx)
            conf = sum(float(data["conf"][i]) for i in idx) / len(idx)
            if conf < MIN_LINE_CONF:
                continue
            x0 = min(data["left"][i] for i in idx) / scale
            y0 = min(data["top"][i] for i in idx) / scale
            x1 = max(data["left"][i] + data["width"][i] for i in idx) / scale
            y1 = max(data["top"][i] + data["height"][i] for i in idx) / scale
            line = make_line(text, frame.timestamp, conf / 100.0, [x0, y0, x1, y1], frame_h)
            if line is not None:
                lines.append(line)
        return lines
