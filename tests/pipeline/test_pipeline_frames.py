"""Frame sampling on real ffmpeg-made videos: scan modes and awkward inputs, end to end through
probing and decoding (their own tests: test_pipeline_probe.py, test_pipeline_decoders.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adclf.errors import PipelineError
from adclf.pipeline.decoders import MAX_SIDE
from adclf.pipeline.frames import VideoFrameSource, pick_spread
from adclf.pipeline.imaging import is_near_black, thumb_diff, thumbnail
from adclf.pipeline.probe import probe
from adclf.pipeline.types import Frame

SOURCE = VideoFrameSource()


def _mean_colour(image: np.ndarray) -> np.ndarray:
    return image.reshape(-1, 3).mean(axis=0)


def _assert_distinct(frames: list) -> None:
    thumbs = [thumbnail(f.image) for f in frames]
    for i in range(len(thumbs)):
        for j in range(i + 1, len(thumbs)):
            assert thumb_diff(thumbs[i], thumbs[j]) > 0.005, (frames[i].timestamp,
                                                              frames[j].timestamp)


def test_tail_only_walks_back_from_a_static_end_card(end_card_ad: Path) -> None:
    frames, duration = SOURCE.sample(end_card_ad, "Tail Only")
    assert duration == pytest.approx(12.0, abs=0.1)
    stamps = [f.timestamp for f in frames]
    assert stamps == sorted(stamps)
    # the end card (black with white text) is kept although it is dark
    assert stamps[-1] >= 9.0
    assert not is_near_black(frames[-1].image)
    # the card is static, so the sampler walked back into the product scene (red, 4..8 s)
    assert any(4.0 <= t < 8.0 for t in stamps)
    product = next(f for f in frames if 4.0 <= f.timestamp < 8.0)
    r, g, b = _mean_colour(product.image)
    assert r > 2 * max(g, b)  # darkred
    # never further back than 12 s from the end, one frame per distinct picture
    assert all(t >= duration - 12.5 for t in stamps)
    assert 2 <= len(frames) <= 4
    _assert_distinct(frames)
    assert [f.index for f in frames] == list(range(len(frames)))


def test_tail_only_without_static_card_stays_in_the_tail(busy_tail_ad: Path) -> None:
    frames, duration = SOURCE.sample(busy_tail_ad, "Tail Only")
    stamps = [f.timestamp for f in frames]
    assert min(stamps) >= duration - 3.0 - 0.05  # no walk back: the tail already changes
    assert len(frames) >= 3  # several scenes inside the last 3 s
    _assert_distinct(frames)


def test_tail_only_skips_a_black_fade_out(fade_to_black_ad: Path) -> None:
    frames, duration = SOURCE.sample(fade_to_black_ad, "Tail Only")
    assert frames and not any(is_near_black(f.image) for f in frames)
    stamps = [f.timestamp for f in frames]
    assert any(3.0 <= t < 6.0 for t in stamps)  # the white end card
    assert any(t < 3.0 for t in stamps)  # and, walking back past it, the product scene


def test_full_video_takes_one_frame_per_two_seconds(end_card_ad: Path) -> None:
    frames, duration = SOURCE.sample(end_card_ad, "Full Video")
    stamps = [f.timestamp for f in frames]
    # three distinct scenes: near-duplicates within a scene are dropped
    assert len(frames) == 3
    assert any(t < 4.0 for t in stamps) and any(4 <= t < 8 for t in stamps)
    assert any(t >= 8.0 for t in stamps)
    for f in frames:
        assert f.timestamp == pytest.approx(round(f.timestamp / 2) * 2, abs=0.05) or (
            f.timestamp >= duration - 0.1
        )


def test_full_video_is_capped(media_dir: Path) -> None:
    # 150 s of Conway's life (every picture differs): more distinct pictures than the cap
    long = media_dir / "long.mp4"
    subprocess.run(
        ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
         "life=s=160x96:r=4:ratio=0.5:seed=7:mold=10", "-t", "150", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(long)],
        check=True, timeout=120,
    )
    frames, duration = SOURCE.sample(long, "Full Video")
    assert duration == pytest.approx(150.0, abs=0.5)
    assert 55 <= len(frames) <= 61
    assert frames[-1].timestamp >= duration - 0.5


def test_express_picks_one_sharp_frame_near_the_end(end_card_ad: Path) -> None:
    frames, duration = SOURCE.sample(end_card_ad, "Express")
    assert len(frames) == 1
    assert frames[0].timestamp >= duration - 3.5
    assert frames[0].sharpness > 0
    assert not is_near_black(frames[0].image)


def test_extended_tail_is_denser_over_the_last_30s(end_card_ad: Path) -> None:
    tail, _ = SOURCE.sample(end_card_ad, "Tail Only")
    extended, duration = SOURCE.extended_tail(end_card_ad)
    assert {int(f.timestamp // 4) for f in extended} == {0, 1, 2}  # all three scenes
    assert len(extended) >= len(tail)
    full, _ = SOURCE.full_video(end_card_ad)
    assert len(full) == 3


def test_unknown_scan_mode_is_refused(end_card_ad: Path) -> None:
    with pytest.raises(PipelineError, match="unknown scan mode"):
        SOURCE.sample(end_card_ad, "Everything")


def test_variable_frame_rate_uses_real_timestamps(odd_videos: dict[str, Path]) -> None:
    frames, duration = SOURCE.sample(odd_videos["vfr"], "Full Video")
    for f in frames:
        r, _, b = _mean_colour(f.image)
        # red strictly before 2 s, blue from 2 s: timestamps match the picture
        assert (r > b) == (f.timestamp < 2.0), f.timestamp


@pytest.mark.parametrize(
    ("name", "shape"),
    [("one_frame", (240, 320)), ("vertical", (640, 360)), ("uhd", (720, 1280)),
     ("tiny", (24, 32)), ("vp9", (180, 320))],
)
def test_unusual_videos_yield_frames(odd_videos: dict[str, Path], name: str,
                                     shape: tuple[int, int]) -> None:
    for mode in ("Tail Only", "Express"):
        frames, duration = SOURCE.sample(odd_videos[name], mode)
        assert frames, mode
        assert frames[0].image.shape[:2] == shape
        assert max(frames[0].image.shape[:2]) <= MAX_SIDE
        assert duration > 0


@pytest.mark.parametrize(("name", "reason"), [("html", "HTML"), ("truncated", "not a readable"),
                                              ("black", "every sampled frame is black")])
def test_bad_inputs_raise_a_clear_error(bad_inputs: dict[str, Path], name: str,
                                        reason: str) -> None:
    # the probe's reasons reach the sampler's caller as they are; a black video probes fine
    with pytest.raises(PipelineError, match=reason):
        SOURCE.sample(bad_inputs[name], "Tail Only")


def test_garbage_never_kills_the_process(bad_inputs: dict[str, Path], media_dir: Path,
                                         end_card_ad: Path) -> None:
    """decord can segfault on garbage: run every bad file in a child and require a clean exit."""
    garbled = media_dir / "garbled.mp4"
    data = bytearray(end_card_ad.read_bytes())
    for i in range(2000, len(data), 499):
        data[i] = (data[i] * 31 + 7) % 256
    garbled.write_bytes(bytes(data))
    files = [*bad_inputs.values(), garbled]
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from adclf.errors import PipelineError\n"
        "from adclf.pipeline.frames import VideoFrameSource\n"
        "for p in sys.argv[1:]:\n"
        "    for mode in ('Tail Only', 'Full Video', 'Express'):\n"
        "        try:\n"
        "            frames, _ = VideoFrameSource().sample(Path(p), mode)\n"
        "            assert frames\n"
        "        except PipelineError as e:\n"
        "            assert str(e)\n"
        "print('survived')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout


def test_display_rotation_is_applied_like_ffmpeg_does(odd_videos: dict[str, Path],
                                                      media_dir: Path) -> None:
    """A phone video stored portrait with a 90° display matrix is shown landscape."""
    rotated = media_dir / "rotated.mp4"
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(odd_videos["vertical"]),
                    "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated)],
                   check=True, timeout=60)
    assert probe(rotated).rotation in (90, 270)
    frames, _ = SOURCE.sample(rotated, "Express")
    image = frames[0].image
    assert image.shape == (360, 640, 3)
    # ffmpeg's CLI applies the display matrix by default: its picture is the reference
    raw = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-ss", f"{frames[0].timestamp}", "-i", str(rotated),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True, timeout=60,
    ).stdout
    reference = np.frombuffer(raw, np.uint8).reshape(360, 640, 3)
    assert np.abs(image.astype(int) - reference).mean() < 4


def test_pick_spread_keeps_the_end_card_and_spreads_the_rest() -> None:
    image = np.zeros((4, 4, 3), np.uint8)
    frames = [Frame(float(t), image, i) for i, t in enumerate([5, 0, 3, 1, 4, 2, 6])]
    assert [f.timestamp for f in pick_spread(frames, 10)] == [0, 1, 2, 3, 4, 5, 6]
    assert [f.timestamp for f in pick_spread(frames, 3)] == [0, 3, 6]
    assert [f.timestamp for f in pick_spread(frames, 1)] == [6]
