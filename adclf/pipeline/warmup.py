"""Load the default models once when a worker starts, so the first job is not the slow one."""

from __future__ import annotations

import logging
import time

import numpy as np

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.pipeline.types import Evidence, Frame, OcrLine

log = logging.getLogger("adclf.pipeline")


def warmup(settings: Settings, threads: int = 1) -> float:
    """Run the default OCR engine, provider and mapper once on a blank frame; returns seconds."""
    from adclf.pipeline.ocr import get_ocr_engine
    from adclf.pipeline.providers import get_provider
    from adclf.pipeline.taxonomy import get_mapper

    t0 = time.perf_counter()
    frame = Frame(timestamp=0.0, image=np.full((360, 640, 3), 255, dtype=np.uint8))
    get_ocr_engine(JobSettings().ocr_engine).read([frame])
    if settings.DEFAULT_PROVIDER == "embedded":
        evidence = Evidence(frames=[frame], duration=1.0,
                            ocr_lines=[OcrLine("warm up", 0.0, 1.0, 0.05)])
        classification = get_provider(settings, JobSettings()).classify(evidence)
        get_mapper(settings).map(classification, evidence)
    _warm_evidence_models(settings, frame, threads)
    elapsed = time.perf_counter() - t0
    log.info("models warmed up in %.1f s", elapsed)
    return elapsed


def _warm_evidence_models(settings: Settings, frame: Frame, threads: int) -> None:
    """Speech and logo models, and the everyday-word list the brand rules use. A model that
    cannot load is logged here and noted on each job, never fatal."""
    from adclf.pipeline import evidence_models
    from adclf.pipeline.providers.brand_words import everyday

    everyday("warm")
    if settings.LOGOS_ENABLED:
        try:
            evidence_models.get_logo_matcher(settings).detect([frame])
        except Exception:
            log.exception("logo matcher not available")
    if settings.ASR_ENABLED:
        try:
            evidence_models.get_speech_recognizer(threads)
        except Exception:
            log.exception("speech recognizer not available")
