"""Where this process's shared models come from.

By default every model loads in the process that uses it (`get_ocr_engine`, `get_text_encoder`,
`get_speech_recognizer`, `get_logo_matcher`, `get_visual_classifier`). A process that should not
hold models (a worker whose node runs a model actor, issue #14) installs a `ModelSource` once;
those factories then hand out its stand-ins, which implement the same interfaces, so the
pipeline's stages do not know where the models run. Plain Python: the source that talks to Ray
lives in `adclf.models`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from adclf.pipeline.types import Frame, LogoMatcher, SpeechRecognizer

if TYPE_CHECKING:
    from adclf.pipeline.ocr.base import BaseOcrEngine


class TextEncoderLike(Protocol):
    name: str

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...


class VisualLabeller(Protocol):
    name: str

    def labels(self, frames: list[Frame], top_k: int = 3, max_frames: int = 2
               ) -> list[tuple[str, float]]: ...


class ModelSource(Protocol):
    def ocr_engine(self, name: str, mode: str) -> BaseOcrEngine | None:
        """None: this engine is not served by the source (load it here)."""
        ...

    def text_encoder(self) -> TextEncoderLike: ...

    def speech_recognizer(self) -> SpeechRecognizer: ...

    def logo_matcher(self) -> LogoMatcher:
        """Raises RuntimeError with a user-facing reason when no gallery is available."""
        ...

    def visual_classifier(self) -> VisualLabeller | None: ...


_source: ModelSource | None = None


def install(source: ModelSource | None) -> None:
    """Serve this process's models from `source` (None: load them here again)."""
    global _source
    _source = source


def current() -> ModelSource | None:
    return _source
