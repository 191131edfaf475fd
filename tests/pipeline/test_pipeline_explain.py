"""The rescue ladder's choice between attempts, and the artifact files/index."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adclf.pipeline import artifacts
from adclf.pipeline.explain import MIN_CONFIDENCE, choose, make_attempt, weakness
from adclf.pipeline.ocr.lines import make_line
from adclf.pipeline.types import (
    Classification,
    Evidence,
    Frame,
    OcrLine,
    PipelineResult,
    TaxonomyMatch,
)


def _evidence(*texts: str) -> Evidence:
    lines = [x for x in (make_line(t, 1.0, 0.9, [0, 0, 10, 10], 100) for t in texts) if x]
    frame = Frame(timestamp=1.0, image=np.zeros((36, 64, 3), np.uint8))
    return Evidence(frames=[frame], ocr_lines=lines, duration=10.0)


def _cls(brand: str, confidence: float) -> Classification:
    return Classification(brand=brand, category="Footwear", confidence=confidence,
                          reasoning="because", provider="embedded")


def test_weakness_reasons() -> None:
    assert weakness(_cls("ACME", 0.9), _evidence()) == "no OCR text"
    assert weakness(_cls("ACME", 0.9), _evidence(), require_text=False) is None
    assert weakness(_cls("", 0.9), _evidence("acme.com")) == "blank brand"
    assert "confidence 0.50" in (weakness(_cls("ACME", 0.5), _evidence("acme.com")) or "")
    assert weakness(_cls("ACME", MIN_CONFIDENCE), _evidence("acme.com")) is None


def test_choose_keeps_the_first_good_attempt() -> None:
    attempts = [
        make_attempt("initial", "scan", _cls("ACME", 0.4), _evidence("acme")),
        make_attempt("extended_tail", "confidence", _cls("ACME", 0.8), _evidence("acme")),
        make_attempt("full_video", "x", _cls("ACME", 0.8), _evidence("acme")),
    ]
    assert choose(attempts) == 1
    assert [a.accepted for a in attempts] == [False, True, False]
    assert "kept extended_tail" in attempts[0].reason
    assert "good enough" in attempts[2].reason  # a tie keeps the earlier, cheaper attempt


def test_choose_prefers_a_brand_then_confidence_when_all_are_weak() -> None:
    attempts = [
        make_attempt("initial", "scan", _cls("", 0.6), _evidence()),
        make_attempt("extended_tail", "no text", _cls("ACME", 0.3), _evidence("acme")),
        make_attempt("full_video", "still weak", _cls("ACME", 0.5), _evidence("acme")),
    ]
    assert choose(attempts) == 2
    assert attempts[2].accepted and attempts[2].reason.startswith("best of 3 attempts")
    assert not attempts[0].accepted and not attempts[1].accepted


def test_choose_needs_attempts() -> None:
    with pytest.raises(ValueError):
        choose([])


def _result(tmp_path: Path, frames: list[Frame], lines: list[OcrLine]) -> PipelineResult:
    attempt = make_attempt("initial", "scan", _cls("ACME", 0.9), _evidence("acme.com"))
    top = [{"id": "1070", "name": "Footwear", "path": "Clothing > Footwear", "score": 0.9}]
    mapping = TaxonomyMatch("1070", "Footwear", "1000", "Clothing", "1000", "Clothing",
                            "exact", 1.0, top)
    return PipelineResult(classification=_cls("ACME", 0.9), mapping=mapping, frames=frames,
                          ocr_lines=lines, attempts=[attempt], duration=10.0,
                          timings={"total": 1.0})


def test_frames_are_saved_as_bounded_jpegs_and_indexed(tmp_path: Path) -> None:
    wide = Frame(timestamp=12.4, image=np.full((1080, 1920, 3), 200, np.uint8))
    small = Frame(timestamp=3.0, image=np.full((90, 160, 3), 50, np.uint8))
    artifacts.save_frame(wide, tmp_path, 1)
    artifacts.save_frame(small, tmp_path, 0)
    assert wide.path == tmp_path / "frames" / "frame_001.jpg" and wide.index == 1
    import cv2

    decoded = cv2.imread(str(wide.path))
    assert decoded is not None and decoded.shape[1] == 1280
    lines = [x for x in [make_line("Dès 49 €", 3.0, 0.9, [0, 0, 5, 5], 90)] if x]
    result = _result(tmp_path, [wide, small], lines)
    artifacts.write_result_files(result, tmp_path)
    index = artifacts.artifact_index(result, tmp_path)
    assert index["frames"] == [
        {"name": "frames/frame_000.jpg", "timestamp": 3.0, "index": 0},
        {"name": "frames/frame_001.jpg", "timestamp": 12.4, "index": 1},
    ]
    assert index["ocr_text"] == "Dès 49 €"
    assert index["mapper_top"][0]["id"] == "1070"
    assert index["trace"][0]["accepted"] is True
    assert set(index["files"]) == {"ocr.json", "explanation.json"}
    saved = json.loads((tmp_path / "ocr.json").read_text(encoding="utf-8"))
    assert saved["lines"][0]["text"] == "Dès 49 €"  # accents kept, not \\u-escaped away
    assert "Dès" in (tmp_path / "ocr.json").read_text(encoding="utf-8")


def test_index_never_names_files_outside_the_work_dir(tmp_path: Path) -> None:
    stray = Frame(timestamp=1.0, image=np.zeros((10, 10, 3), np.uint8),
                  path=tmp_path.parent / "elsewhere.jpg")
    index = artifacts.artifact_index(_result(tmp_path, [stray], []), tmp_path)
    assert index["frames"] == []
