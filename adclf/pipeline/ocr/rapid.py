"""RapidOCR 3.x (PP-OCR ONNX models shipped inside the wheel; nothing is downloaded)."""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.ocr.base import BaseOcrEngine, fit
from adclf.pipeline.ocr.lines import make_line
from adclf.pipeline.types import Frame, OcrLine

MIN_SCORE = 0.5

_ENGINES: dict[tuple[int, int], Any] = {}
_LOCK = threading.Lock()


def load_rapidocr(side: int, threads: int = 0) -> Any:
    """One engine per process, size and thread count: loading the ONNX sessions takes ~0.6 s.
    `threads` 0 lets onnxruntime use every core; when several workers share the cores, 1 thread
    each halves the CPU spent per frame (idle threads spin)."""
    key = (side, threads)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as err:  # pragma: no cover - dependency of the package
                raise PipelineError("OCR engine 'rapidocr' is not installed") from err
            engine = RapidOCR(
                params={
                    # ad text is upright; the angle classifier only costs time
                    "Global.use_cls": False,
                    "Global.log_level": "error",
                    "Global.text_score": MIN_SCORE,
                    "Det.limit_type": "max",
                    "Det.limit_side_len": side,
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads or -1,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                }
            )
            _warm_up(engine, side)
            _ENGINES[key] = engine
        return engine


def _warm_up(engine: Any, side: int) -> None:
    """onnxruntime's first runs at a new input shape are 2-4x slower; pay that at load time,
    not inside the first job (one card-like image exercises both detection and recognition)."""
    image = np.full((side * 9 // 16, side, 3), 30, np.uint8)
    cv2.putText(image, "Warm up 2024", (side // 8, side // 4), cv2.FONT_HERSHEY_SIMPLEX,
                side / 400, (255, 255, 255), max(1, side // 200))
    for _ in range(2):
        engine(image)


class RapidOcrEngine(BaseOcrEngine):
    name = "rapidocr"

    def __init__(self, mode: str = "Fast", threads: int = 0) -> None:
        super().__init__(mode)
        self._engine = load_rapidocr(self.side, threads)

    def read_frame(self, frame: Frame) -> list[OcrLine]:
        image, scale = fit(frame.image, self.side)
        # PP-OCR models were trained on BGR input (OpenCV order)
        result = self._engine(cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if result.boxes is None or result.txts is None or result.scores is None:
            return []
        lines: list[OcrLine] = []
        frame_h = frame.image.shape[0]
        for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
            pts = np.asarray(quad, dtype=np.float32) / scale
            box = [pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()]
            line = make_line(str(text), frame.timestamp, float(score), box, frame_h)
            if line is not None:
                lines.append(line)
        return lines
