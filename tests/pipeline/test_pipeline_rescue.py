"""The rescue ladder's rules: which rungs a job climbs and when a rung adds evidence worth a
second question. (The climb itself runs end to end in test_pipeline_runner.py.)"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.pipeline.context import JobContext, Progress
from adclf.pipeline.rescue import Attempts, adds_evidence, rungs
from adclf.pipeline.types import Attempt, Classification, Evidence, Frame, LogoDetection, OcrLine
from tests.pipeline.test_pipeline_runner import RecordingReporter


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (JobSettings(), ["extended_tail", "full_video"]),
        (JobSettings(scan_mode="Full Video"), ["extended_tail"]),
        (JobSettings(express_mode=True), []),
        (JobSettings(scan_mode="Express"), []),
    ],
)
def test_rungs_by_scan_mode(tmp_path: Path, job: JobSettings, expected: list[str]) -> None:
    ctx = JobContext(Settings(DATA_DIR=tmp_path), job, tmp_path, Progress(RecordingReporter()))
    assert rungs(ctx) == expected


def evidence(indices: list[int], texts: Sequence[str] = (), brands: Sequence[str] = ()) -> Evidence:
    image = np.zeros((4, 4, 3), np.uint8)
    return Evidence(frames=[Frame(float(i), image, i) for i in indices],
                    ocr_lines=[OcrLine(t, 1.0, 0.9, 0.1) for t in texts], duration=10.0,
                    logos=[LogoDetection(b, 0.8, 1.0, []) for b in brands])


def test_a_rung_adds_evidence_only_with_new_frames() -> None:
    old = evidence([0, 1], ["ACME"])
    assert not adds_evidence(evidence([0, 1], ["ACME", "acme.com"]), old, True)
    # new frames: pictures count for a provider that sees them, otherwise only new text or logos
    assert adds_evidence(evidence([0, 1, 2], ["ACME"]), old, True)
    assert not adds_evidence(evidence([0, 1, 2], ["ACME"]), old, False)
    assert adds_evidence(evidence([0, 1, 2], ["ACME", "acme.com"]), old, False)
    assert adds_evidence(evidence([0, 1, 2], ["ACME"], ["Nike"]), old, False)


def test_attempts_keep_each_answer_with_its_evidence() -> None:
    attempts = Attempts()
    answer = Classification("ACME", "Running Shoes", 0.9, "end card")
    seen = evidence([0])
    attempts.add(Attempt("initial", "scan mode Tail Only", [0.0], "", {}, True, "ok"), answer,
                 seen)
    assert [a.type for a in attempts.trace] == ["initial"]
    assert attempts.results == [(answer, seen)]
