"""Stand-ins for the pipeline's models that call the node's model actor. Each implements the
interface the pipeline already uses (OcrEngine.read, TextEncoder.encode, SpeechRecognizer,
LogoMatcher.detect, the visual labeller), so no stage knows where its model runs.

Images cross as numpy arrays inside picklable Frames (Ray's object store, zero-copy reads on the
same node); OCR frames are fitted to the engine's size here first, so less crosses. Speech
arguments (a WAV path on this node's disk, which the actor shares) are forwarded as given."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from adclf.models.client import ModelClient
from adclf.pipeline.model_source import TextEncoderLike, VisualLabeller
from adclf.pipeline.ocr.base import BaseOcrEngine
from adclf.pipeline.ocr.lines import merge_lines
from adclf.pipeline.types import Frame, LogoDetection, LogoMatcher, OcrLine, SpeechLine


class OcrProxy(BaseOcrEngine):
    name = "rapidocr"

    def __init__(self, client: ModelClient, mode: str = "Fast", frames_at_once: int = 1) -> None:
        super().__init__(mode)
        self.client = client
        # the actor reads this many frames side by side (its parallel OCR batches)
        self.frames_at_once = max(1, frames_at_once)

    def read(self, frames: list[Frame]) -> list[OcrLine]:
        return merge_lines([ln for lines in self._read(frames) for ln in lines])

    def read_each(self, frames: list[Frame]) -> list[list[OcrLine]]:
        return [merge_lines(lines) for lines in self._read(frames)] if frames else []

    def read_frame(self, frame: Frame) -> list[OcrLine]:
        return self._read([frame])[0]

    def _read(self, frames: list[Frame]) -> list[list[OcrLine]]:
        from adclf.pipeline.ocr.rapid import prepare

        items = []
        for f in frames:
            image, scale = prepare(f.image, self.side)
            items.append((self.side, image, f.timestamp, int(f.image.shape[0]), scale))
        got: list[list[OcrLine]] = self.client.call("ocr", items)
        return got


class EncoderProxy:
    name = "all-MiniLM-L6-v2"

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        got: np.ndarray = self.client.call("encode", list(texts))
        return got


class SpeechProxy:
    """Forwards every public method and attribute of the node's SpeechRecognizer, whatever its
    signature (`transcribe`, `transcribe_array`, a keyword added later), to the actor."""

    name: str  # declared only: read from the actor's recogniser by __getattr__

    def __init__(self, client: ModelClient) -> None:
        self.client = client
        self._attrs: dict[str, dict[str, Any]] = {}

    def transcribe(self, *args: Any, **kwargs: Any) -> list[SpeechLine]:
        got: list[SpeechLine] = self.client.call("speech", "transcribe", args, kwargs)
        return got

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._attrs:
            # {"callable": True} or {"value": ...}; AttributeError from the actor propagates
            self._attrs[name] = self.client.call("speech_attr", name)
        found = self._attrs[name]
        if not found.get("callable"):
            return found.get("value")

        def method(*args: Any, **kwargs: Any) -> Any:
            return self.client.call("speech", name, args, kwargs)

        return method


class LogoProxy:
    def __init__(self, client: ModelClient) -> None:
        self.client = client

    def detect(self, frames: list[Frame], closer: bool = False) -> list[LogoDetection]:
        got: list[LogoDetection] = self.client.call("logos", frames, closer)
        return got


class VisualProxy:
    name = "efficientnet-lite0"

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    def labels(self, frames: list[Frame], top_k: int = 3, max_frames: int = 2
               ) -> list[tuple[str, float]]:
        got: list[tuple[str, float]] | None = self.client.call("visual", frames, top_k,
                                                               max_frames)
        return got or []


class RemoteModels:
    """The `model_source.ModelSource` of a worker whose node runs a model actor."""

    def __init__(self, client: ModelClient) -> None:
        self.client = client
        self._logo_reason: str | None = None
        self._parallel: int | None = None
        self._lock = threading.Lock()

    def ocr_engine(self, name: str, mode: str) -> BaseOcrEngine | None:
        # tesseract is a subprocess per frame with no model in memory: it stays in the worker
        if name != "rapidocr":
            return None
        with self._lock:
            if self._parallel is None:
                self._parallel = int(self.client.call("device").get("parallel_batches", 1))
        return OcrProxy(self.client, mode, self._parallel)

    def text_encoder(self) -> TextEncoderLike:
        return EncoderProxy(self.client)

    def speech_recognizer(self) -> SpeechProxy:
        return SpeechProxy(self.client)

    def logo_matcher(self) -> LogoMatcher:
        with self._lock:
            if self._logo_reason is None:
                self._logo_reason = str(self.client.call("logo_status"))
        if self._logo_reason:
            raise RuntimeError(self._logo_reason)
        return LogoProxy(self.client)

    def visual_classifier(self) -> VisualLabeller | None:
        return VisualProxy(self.client)
