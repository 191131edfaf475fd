"""The models a node's model actor holds, loaded once (lazily, each under its own lock) and the
batch functions its batchers call. Plain Python: runs in the actor's threads."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from adclf.config import Settings
from adclf.pipeline.types import Frame, LogoMatcher, OcrLine, SpeechRecognizer

log = logging.getLogger("adclf.models")
M = TypeVar("M")

# One OCR request item: (longest side, BGR image fitted to it, timestamp, frame height, scale)
OcrItem = tuple[int, np.ndarray, float, int, float]


class NodeModels:
    def __init__(self, settings: Settings, threads: int, cuda: bool) -> None:
        self.settings = settings
        self.threads = threads
        self.cuda = cuda
        self._locks: dict[str, threading.Lock] = {}
        self._models: dict[str, Any] = {}
        self._guard = threading.Lock()
        self.load_seconds: dict[str, float] = {}

    def _get(self, key: str, load: Callable[[], M]) -> M:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._models:
                t0 = time.perf_counter()
                self._models[key] = load()
                self.load_seconds[key] = round(time.perf_counter() - t0, 3)
            model: M = self._models[key]
            return model

    def loaded(self) -> list[str]:
        return sorted(self._models)

    def runtimes(self) -> dict[str, str]:
        """What runs each loaded embedded model ("onnx" | "torch"), and whether this process
        imported torch at all (on CPU with the ONNX exports it should not)."""
        import sys

        out = {key: str(getattr(self._models[key], "runtime", ""))
               for key in ("encoder", "visual") if self._models.get(key) is not None}
        out["torch_imported"] = "yes" if "torch" in sys.modules else "no"
        return out

    # ---- the models --------------------------------------------------------------------------
    def ocr_engine(self, side: int) -> Any:
        from adclf.pipeline.ocr.rapid import load_rapidocr

        return self._get(f"ocr-{side}", lambda: load_rapidocr(side, self.threads, self.cuda))

    def encoder(self) -> Any:
        from adclf.pipeline.embedded.text_encoder import load_text_encoder

        return self._get("encoder", lambda: load_text_encoder(
            "cuda" if self.cuda else "cpu", self.settings.EMBEDDED_RUNTIME, self.threads))

    def speech(self) -> SpeechRecognizer:
        from adclf.pipeline import evidence_models

        return self._get("speech", lambda: evidence_models.get_speech_recognizer(self.threads))

    def logos(self) -> LogoMatcher:
        """Raises RuntimeError with the reason when the gallery is not available."""
        from adclf.pipeline import evidence_models

        return self._get("logos", lambda: evidence_models.get_logo_matcher(self.settings))

    def visual(self) -> Any:
        from adclf.pipeline.embedded.vision import load_visual_classifier

        return self._get("visual", lambda: load_visual_classifier(
            "cuda" if self.cuda else "cpu", self.settings.EMBEDDED_RUNTIME, self.threads))

    def warm(self) -> None:
        """Load every model the node's jobs use, so the first job does not wait for them; a model
        that cannot load is logged (its callers get the reason)."""
        import sys

        from adclf.pipeline.ocr.base import SIDE_BY_MODE

        steps: list[tuple[str, Callable[[], Any]]] = [
            ("ocr", lambda: self.ocr_engine(SIDE_BY_MODE["Fast"])),
            ("encoder", lambda: self.encoder().encode(["warm up"])),
            ("visual", self.visual),
        ]
        if self.settings.ASR_ENABLED:
            steps.append(("speech", self.speech))
        if self.settings.LOGOS_ENABLED:
            steps.append(("logos", self.logos))
        for name, step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - reported to each caller that needs it
                log.exception("model actor: %s did not load", name)
        torch = sys.modules.get("torch")
        if torch is not None and not self.cuda:
            torch.set_num_threads(self.threads)

    # ---- batch functions ---------------------------------------------------------------------
    def ocr_batch(self, items: list[OcrItem]) -> list[list[OcrLine]]:
        """Frames of any jobs: detection per frame, one recognition pass per image size."""
        from adclf.pipeline.ocr.rapid import read_many, to_lines

        out: list[list[OcrLine]] = [[] for _ in items]
        for side in sorted({it[0] for it in items}):
            idx = [i for i, it in enumerate(items) if it[0] == side]
            results = read_many(self.ocr_engine(side), [items[i][1] for i in idx])
            for i, result in zip(idx, results, strict=True):
                _, _, timestamp, frame_h, scale = items[i]
                out[i] = to_lines(result, timestamp, frame_h, scale)
        return out

    def encode_batch(self, requests: list[list[str]]) -> list[np.ndarray]:
        """Texts of any jobs in one encoder call, split back per request."""
        texts = [t for req in requests for t in req]
        vecs = self.encoder().encode(texts) if texts else np.zeros((0, 384), np.float32)
        out: list[np.ndarray] = []
        start = 0
        for req in requests:
            out.append(vecs[start:start + len(req)])
            start += len(req)
        return out

    def visual_labels(self, frames: list[Frame], top_k: int, max_frames: int
                      ) -> list[tuple[str, float]] | None:
        model = self.visual()
        return None if model is None else list(model.labels(frames, top_k, max_frames))
