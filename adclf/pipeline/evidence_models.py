"""The speech and logo models as a worker keeps them: loaded once per process, shared by jobs
(or served by the node's model actor when the process installed a `model_source`).

A model that cannot be loaded (the logo gallery was never built, ...) does not fail jobs: the
stage is skipped and the job's events and explanation say why."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from adclf.config import Settings
from adclf.pipeline import model_source
from adclf.pipeline.types import LogoMatcher, SpeechRecognizer

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cache: dict[Any, Any] = {}


def get_logo_matcher(settings: Settings) -> LogoMatcher:
    """Raises RuntimeError with a user-facing reason when the gallery is not available."""
    source = model_source.current()
    if source is not None:
        return source.logo_matcher()
    key = ("logos", settings.LOGO_DIR)
    with _lock:
        if key not in _cache:
            from adclf.pipeline.logos import GalleryMatcher, GalleryMissing, LogoGallery

            try:
                gallery = LogoGallery(user_dir=_dir(settings.LOGO_DIR)).warm()
            except GalleryMissing as exc:
                raise RuntimeError(f"logo gallery not available: {exc}") from exc
            _cache[key] = GalleryMatcher(gallery).warm()
        matcher: LogoMatcher = _cache[key]
        return matcher


def get_speech_recognizer(threads: int = 1) -> SpeechRecognizer:
    """One recogniser per process, with the job's share of CPU threads (a lock inside it
    serialises jobs of the same process)."""
    source = model_source.current()
    if source is not None:
        return source.speech_recognizer()
    with _lock:
        if "speech" not in _cache:
            from adclf.pipeline.speech import WhisperRecognizer

            recognizer = WhisperRecognizer(threads=max(1, threads))
            recognizer.warm()
            _cache["speech"] = recognizer
        speech: SpeechRecognizer = _cache["speech"]
        return speech


def _dir(path: Path | None) -> Path | None:
    return path if path is not None and path.is_dir() else None
