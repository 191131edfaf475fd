"""What the stages of one job share: its settings, the progress reporter, the stopwatch, and what
the job has seen so far (frames saved and read, logos, speech), so that rescue attempts redo
nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from adclf.config import Settings
from adclf.domain import STAGE_PROGRESS, JobSettings, Stage
from adclf.pipeline.frames import DUPLICATE_DIFF
from adclf.pipeline.imaging import thumb_diff
from adclf.pipeline.types import Frame, LogoDetection, OcrLine, Reporter, SpeechLine


class Progress:
    """Stage reports whose progress value never goes backwards, even when a rescue attempt
    revisits frame extraction and OCR."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.value = 0.0

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None:
        target = STAGE_PROGRESS[stage] if progress is None else progress
        self.value = max(self.value, min(99.0, float(target)))
        self.reporter.stage(stage, detail, round(self.value, 1))

    def event(self, message: str) -> None:
        self.reporter.event(message)


@dataclass
class Timer:
    """Seconds spent per step, summed over the job's attempts."""

    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = round(self.timings.get(name, 0.0) + elapsed, 4)


@dataclass
class Seen:
    """Frames saved and OCR'd so far in this job, so rescue attempts redo neither."""

    frames: list[Frame] = field(default_factory=list)
    thumbs: list[np.ndarray] = field(default_factory=list)
    readings: dict[int, list[OcrLine]] = field(default_factory=dict)  # frame index → raw lines
    logos: dict[int, list[LogoDetection]] = field(default_factory=dict)  # frame index → logos
    speech: list[SpeechLine] = field(default_factory=list)
    speech_note: str = ""
    logo_note: str = ""

    def match(self, thumb: np.ndarray) -> Frame | None:
        for frame, seen in zip(self.frames, self.thumbs, strict=True):
            if thumb_diff(thumb, seen) < DUPLICATE_DIFF:
                return frame
        return None


@dataclass
class JobContext:
    settings: Settings
    job: JobSettings
    work_dir: Path
    progress: Progress
    timer: Timer = field(default_factory=Timer)
    seen: Seen = field(default_factory=Seen)
    video: Path = field(default_factory=Path)
    duration: float = 0.0  # of the video, once sampled

    @property
    def express(self) -> bool:
        return self.job.express_mode or self.job.scan_mode == "Express"

    @property
    def scan_mode(self) -> str:
        return "Express" if self.express else self.job.scan_mode

    def blind_provider(self) -> bool:
        """The embedded provider reads text, not pictures: an express job on it would have no
        evidence at all, so its single frame is OCR'd (~0.3 s) instead of skipping OCR."""
        return (self.job.provider or self.settings.DEFAULT_PROVIDER) == "embedded"

    def requires_text(self) -> bool:
        """Whether an attempt without OCR text is weak (express jobs skip OCR on purpose)."""
        return not self.express or self.blind_provider()

    def label(self, kind: str) -> str:
        """How an attempt's stage details and events begin."""
        return "" if kind == "initial" else f"rescue {kind}: "
