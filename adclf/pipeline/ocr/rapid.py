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

_ENGINES: dict[tuple[int, int, bool], Any] = {}
_LOCK = threading.Lock()


def load_rapidocr(side: int, threads: int = 0, cuda: bool = False) -> Any:
    """One engine per process, size, thread count and device: loading the ONNX sessions takes
    ~0.6 s. `threads` 0 lets onnxruntime use every core; when several workers share the cores,
    1 thread each halves the CPU spent per frame (idle threads spin). `cuda`: ONNX Runtime's
    CUDA provider (a node's model actor on a GPU)."""
    key = (side, threads, cuda)
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
                    "EngineConfig.onnxruntime.use_cuda": cuda,
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
        image, scale = prepare(frame.image, self.side)
        return to_lines(self._engine(image), frame.timestamp, frame.image.shape[0], scale)


def prepare(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """The engine's input for an RGB frame: fitted to `side`, BGR (PP-OCR models were trained on
    OpenCV's order); and the scale applied."""
    fitted, scale = fit(image, side)
    return cv2.cvtColor(fitted, cv2.COLOR_RGB2BGR), scale


def to_lines(result: Any, timestamp: float, frame_h: int, scale: float) -> list[OcrLine]:
    """OcrLines (boxes in the original frame's pixels) from one RapidOCR result."""
    if result.boxes is None or result.txts is None or result.scores is None:
        return []
    lines: list[OcrLine] = []
    for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        pts = np.asarray(quad, dtype=np.float32) / scale
        box = [pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()]
        line = make_line(str(text), timestamp, float(score), box, frame_h)
        if line is not None:
            lines.append(line)
    return lines


def read_many(engine: Any, images: list[np.ndarray]) -> list[Any]:
    """`engine(image)` for each image, with detection per image and ONE recognition pass over
    the text crops of all of them (a model actor's batch of frames from several jobs). Uses
    RapidOCR 3.x's own steps, so each result is what `engine(image)` gives."""
    from rapidocr.ch_ppocr_cls import TextClsOutput
    from rapidocr.ch_ppocr_rec import TextRecOutput
    from rapidocr.utils.log import logger as rapid_log
    from rapidocr.utils.output import RapidOCROutput

    staged: list[tuple[np.ndarray, dict[str, Any], Any, int, list[np.ndarray]]] = []
    crops: list[np.ndarray] = []
    for image in images:
        ori = engine.load_img(image)
        pre, record = engine.preprocess_img(ori)
        try:
            found, det = engine.detect_and_crop(pre, record)
        except Exception as exc:  # RapidOCRError: no text in this image
            rapid_log.debug("%s", exc)
            found, det = [], None
        staged.append((ori, record, det, len(crops), found))
        crops.extend(found)
    rec = engine.recognize_txt(crops) if crops else None
    out: list[Any] = []
    for ori, record, det, start, found in staged:
        if det is None or rec is None or not found:
            out.append(RapidOCROutput())
            continue
        end = start + len(found)
        part = TextRecOutput(imgs=list(rec.imgs[start:end]), txts=tuple(rec.txts[start:end]),
                             scores=list(rec.scores[start:end]),
                             word_results=tuple(rec.word_results[start:end]),
                             elapse=rec.elapse, viser=rec.viser)
        out.append(engine.build_final_output(ori, det, TextClsOutput(), part, found, record))
    return out
