"""Probing real ffmpeg-made files: the frame table of good videos, clear reasons for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.errors import PipelineError
from adclf.pipeline.probe import probe, short_error


def test_probe_reads_the_frame_table(end_card_ad: Path) -> None:
    info = probe(end_card_ad)
    assert info.probed_with == "pyav"
    assert (info.width, info.height, info.rotation, info.stream) == (640, 360, 0, 0)
    assert info.duration == pytest.approx(12.0, abs=0.1)
    assert info.timestamps[0] == 0.0 and list(info.timestamps) == sorted(info.timestamps)
    assert info.frame_count == len(info.timestamps) > 100
    assert info.keyframes[0] == 0.0 and set(info.keyframes) <= set(info.timestamps)


def test_variable_frame_rate_duration_comes_from_the_timestamps(
    odd_videos: dict[str, Path],
) -> None:
    info = probe(odd_videos["vfr"])
    assert info.duration == pytest.approx(8.0, abs=0.25)  # not frame_count / average fps


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("zero", "empty"),
        ("html", "HTML"),
        ("text", "not a readable video"),
        ("random", "not a readable video"),
        ("truncated", "not a readable video"),
        ("audio", "audio but no video"),
        ("cover_art", "audio but no video"),
        ("image", "not a video"),
    ],
)
def test_bad_inputs_raise_a_clear_error(bad_inputs: dict[str, Path], name: str,
                                        reason: str) -> None:
    with pytest.raises(PipelineError, match=reason):
        probe(bad_inputs[name])


def test_missing_file_and_directory_are_pipeline_errors(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="not found"):
        probe(tmp_path / "gone.mp4")
    with pytest.raises(PipelineError, match="not a regular file"):
        probe(tmp_path)


def test_json_text_is_named(tmp_path: Path) -> None:
    page = tmp_path / "video.mp4"
    page.write_text('{"error": "expired link"}')
    with pytest.raises(PipelineError, match="JSON"):
        probe(page)


def test_short_error_keeps_only_the_reason() -> None:
    err = OSError("[Errno 1094995529] Invalid data found when processing input: '/tmp/x.mp4'")
    assert short_error(err) == "Invalid data found when processing input"
    assert short_error(ValueError()) == "ValueError"
