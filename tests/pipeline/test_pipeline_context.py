"""What a job's stages share: progress that never goes back, the stopwatch, frames seen."""

from __future__ import annotations

import numpy as np

from adclf.domain import STAGE_PROGRESS, Stage
from adclf.pipeline.context import Progress, Seen, Timer
from adclf.pipeline.imaging import thumbnail
from adclf.pipeline.types import Frame
from tests.pipeline.test_pipeline_runner import RecordingReporter


def test_progress_never_goes_backwards_and_stops_short_of_100() -> None:
    reporter = RecordingReporter()
    p = Progress(reporter)
    p.stage(Stage.CLASSIFY)
    p.stage(Stage.FRAME_EXTRACT, "rescue: sampling", 10.0)  # a rescue revisits an earlier stage
    p.stage(Stage.MAP, "", 150.0)
    p.event("hello")
    values = [v for _, _, v in reporter.stages]
    assert values == [STAGE_PROGRESS[Stage.CLASSIFY], STAGE_PROGRESS[Stage.CLASSIFY], 99.0]
    assert reporter.stages[1][:2] == (Stage.FRAME_EXTRACT, "rescue: sampling")
    assert reporter.events == ["hello"]


def test_timer_sums_repeated_steps() -> None:
    timer = Timer()
    for _ in range(2):
        with timer("ocr"):
            sum(range(10_000))
    assert set(timer.timings) == {"ocr"} and timer.timings["ocr"] > 0


def test_seen_matches_a_near_duplicate_picture() -> None:
    seen = Seen()
    image = np.full((360, 640, 3), 120, np.uint8)
    image[100:200, 100:400] = 255
    frame = Frame(1.0, image, 0)
    seen.frames.append(frame)
    seen.thumbs.append(thumbnail(image))
    noisy = np.clip(image.astype(int) + np.random.default_rng(0).integers(-2, 3, image.shape),
                    0, 255).astype(np.uint8)
    assert seen.match(thumbnail(noisy)) is frame
    assert seen.match(thumbnail(np.full((360, 640, 3), 30, np.uint8))) is None
