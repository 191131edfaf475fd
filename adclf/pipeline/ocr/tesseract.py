"""Tesseract (Debian `tesseract-ocr` + `tesseract-ocr-fra`), English + French, run as a
subprocess that reads a PNG on stdin and writes its word table (TSV) on stdout."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from typing import Any

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
CONFIG = ["--oem", "1", "--psm", "3"]
TIMEOUT_SECONDS = 30
_INT_COLUMNS = ("block_num", "par_num", "line_num", "left", "top", "width", "height")


class TesseractEngine(BaseOcrEngine):
    name = "tesseract"

    def __init__(self, mode: str = "Fast", threads: int = 0) -> None:
        super().__init__(mode)
        if shutil.which("tesseract") is None:
            raise PipelineError(
                "OCR engine 'tesseract' is not installed (apt-get install tesseract-ocr "
                "tesseract-ocr-fra)"
            )
        # tesseract's OpenMP threads mostly spin on ad-sized images; one per job is enough.
        # Only tesseract's own environment gets the limit: set in os.environ it also capped the
        # OpenMP runtime of a speech model loaded later in the same process (CTranslate2 asked
        # for 2 threads under a limit of 1 and transcribed nothing).
        self.env = {**os.environ, "OMP_THREAD_LIMIT": str(threads or 1)}

    def read_frame(self, frame: Frame) -> list[OcrLine]:
        image, scale = fit(frame.image, self.side)
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        if float(np.mean(grey)) < 110:
            # tesseract reads dark text on light paper best; ad cards are often the reverse
            grey = 255 - grey
        data = self._words(grey)

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

    def _words(self, grey: np.ndarray) -> dict[str, list[Any]]:
        """Tesseract's word table as columns (text, conf, block_num, left, ...)."""
        ok, png = cv2.imencode(".png", grey)
        if not ok:
            raise PipelineError("tesseract: the frame could not be encoded as PNG")
        try:
            done = subprocess.run(
                ["tesseract", "stdin", "stdout", "-l", LANGS, *CONFIG, "tsv"],
                input=png.tobytes(), capture_output=True, env=self.env, check=False,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as err:
            raise PipelineError(f"tesseract timed out after {TIMEOUT_SECONDS} s") from err
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip()[-300:]
            raise PipelineError(f"tesseract failed (exit {done.returncode}): {message}")
        return parse_tsv(done.stdout.decode(errors="replace"))


def parse_tsv(tsv: str) -> dict[str, list[Any]]:
    rows = tsv.splitlines()
    if not rows:
        return {"text": [], "conf": [], **{c: [] for c in _INT_COLUMNS}}
    header = rows[0].split("\t")
    columns: dict[str, list[Any]] = {name: [] for name in header}
    for row in rows[1:]:
        cells = row.split("\t", len(header) - 1)
        if len(cells) < len(header):  # a layout row has no text cell at all
            cells += [""] * (len(header) - len(cells))
        for name, cell in zip(header, cells, strict=True):
            columns[name].append(cell)
    for name in _INT_COLUMNS:
        columns[name] = [int(v) for v in columns[name]]
    columns["conf"] = [float(v) for v in columns["conf"]]
    return columns
