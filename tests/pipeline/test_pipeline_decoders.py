"""The frame readers on real ffmpeg-made videos: the same pictures from each, and which one a
video gets."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import numpy as np
import pytest

from adclf.errors import PipelineError
from adclf.pipeline.decoders import (
    DecordReader,
    FallbackReader,
    FfmpegCliReader,
    PyAVReader,
    open_reader,
    output_size,
)
from adclf.pipeline.probe import probe


def _mean_colour(image: np.ndarray) -> np.ndarray:
    return image.reshape(-1, 3).mean(axis=0)


@pytest.mark.parametrize("reader_cls", [DecordReader, PyAVReader, FfmpegCliReader])
def test_every_reader_returns_the_same_pictures(end_card_ad: Path, reader_cls: type) -> None:
    info = probe(end_card_ad)
    got = reader_cls(info).read([1.0, 5.0, 11.0])
    assert len(got) == 3
    colours = [_mean_colour(img) for _, img in got]
    assert colours[0][1] > colours[0][0]  # darkgreen
    assert colours[1][0] > colours[1][1]  # darkred
    assert colours[2].mean() < 60  # black card
    for (t, img), want in zip(got, [1.0, 5.0, 11.0], strict=True):
        assert t == pytest.approx(want, abs=0.1)
        assert img.shape == (360, 640, 3) and img.dtype == np.uint8


def test_output_size_caps_the_long_side_and_keeps_sizes_even() -> None:
    assert output_size(640, 360) == (640, 360)
    assert output_size(3840, 2160) == (1280, 720)
    assert output_size(2160, 3840) == (720, 1280)
    assert output_size(33, 25, max_side=16) == (16, 12)
    assert output_size(1, 1) == (2, 2)


def test_open_reader_picks_by_how_the_file_was_probed(end_card_ad: Path,
                                                       odd_videos: dict[str, Path],
                                                       media_dir: Path) -> None:
    info = probe(end_card_ad)
    assert open_reader(info).name == "decord"
    assert open_reader(dataclasses.replace(info, probed_with="ffprobe")).name == "ffmpeg"
    # decord would rotate a phone video itself; PyAV leaves that to the sampler
    rotated = media_dir / "rotated_for_reader.mp4"
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(odd_videos["vertical"]),
                    "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated)],
                   check=True, timeout=60)
    assert open_reader(probe(rotated)).name == "pyav"


def test_fallback_reader_moves_on_when_a_reader_fails(end_card_ad: Path,
                                                      tmp_path: Path) -> None:
    reader = FallbackReader(probe(end_card_ad))
    assert reader.name == "decord"
    assert reader.read([5.0])[0][0] == pytest.approx(5.0, abs=0.1)
    # the file vanishes after probing: PyAV (chosen for a rotated video) fails to open it, the
    # ffmpeg CLI after it too, and the last reader's reason is the one reported
    moved = tmp_path / "moved.mp4"
    moved.write_bytes(end_card_ad.read_bytes())
    gone = FallbackReader(dataclasses.replace(probe(moved), rotation=90))
    assert gone.name == "pyav"
    moved.unlink()
    with pytest.raises(PipelineError, match="ffmpeg could not decode any frame"):
        gone.read([1.0])
    assert gone.name == "ffmpeg"
