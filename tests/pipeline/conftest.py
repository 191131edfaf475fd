"""Real ffmpeg-made videos for the pipeline tests, made once per session (small sizes keep the
area fast)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adclf.config import Settings
from adclf.pipeline.runner import Pipeline
from tests.videos import (
    Scene,
    audio_only,
    audio_with_cover,
    make_video,
    single_frame,
    still_image,
    truncated_copy,
    variable_frame_rate,
)

SMALL = (640, 360)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pipeline-media")


@pytest.fixture(scope="session")
def end_card_ad(media_dir: Path) -> Path:
    """8 s product scene (two copy lines) then a static 4 s end card: brand + web address."""
    return make_video(
        media_dir / "end_card_ad.mp4",
        [
            Scene(4.0, "darkgreen", ["Running shoes", "Feel the difference"], font_size=40),
            Scene(4.0, "darkred", ["Light and fast"], font_size=40),
            Scene(4.0, "black", ["ACME", "acme.com"], font_size=64),
        ],
        size=SMALL,
    )


@pytest.fixture(scope="session")
def busy_tail_ad(media_dir: Path) -> Path:
    """The scene changes every second until the end: no static end card, no walk back."""
    colors = ["navy", "darkgreen", "darkred", "purple", "teal", "olive"]
    return make_video(
        media_dir / "busy_tail.mp4",
        [Scene(1.0, c, [f"Scene {i}"], font_size=40) for i, c in enumerate(colors)],
        size=SMALL,
    )


@pytest.fixture(scope="session")
def fade_to_black_ad(media_dir: Path) -> Path:
    """Product, end card, then 2 s of pure black (a common fade-out)."""
    return make_video(
        media_dir / "fade_black.mp4",
        [
            Scene(3.0, "darkblue", ["Fresh coffee"], font_size=40),
            Scene(3.0, "white", ["BREWCO", "brewco.fr"], font_size=64, font_color="black"),
            Scene(2.0, "black", []),
        ],
        size=SMALL,
    )


@pytest.fixture(scope="session")
def bad_inputs(media_dir: Path, end_card_ad: Path) -> dict[str, Path]:
    """Files that are not (usable) videos, each named for the failure it should produce."""
    d = media_dir / "bad"
    d.mkdir(exist_ok=True)
    (d / "zero.mp4").write_bytes(b"")
    (d / "page.mp4").write_text(
        "<!DOCTYPE html><html><head><title>Video</title></head><body>Sign in</body></html>"
    )
    (d / "notes.mp4").write_text("these are meeting notes\nnot a video at all\n" * 20)
    (d / "random.mp4").write_bytes(bytes((i * 7919 + 13) % 251 for i in range(50_000)))
    files = {
        "zero": d / "zero.mp4",
        "html": d / "page.mp4",
        "text": d / "notes.mp4",
        "random": d / "random.mp4",
        "truncated": truncated_copy(end_card_ad, d / "truncated.mp4", 4_000),
        "audio": audio_only(d / "audio.m4a"),
        "cover_art": audio_with_cover(d / "song.mp3"),
        "image": still_image(d / "image.mp4"),
        "black": make_video(d / "black.mp4", [Scene(2.0, "black", [])], size=(320, 180)),
    }
    return files


@pytest.fixture(scope="session")
def odd_videos(media_dir: Path) -> dict[str, Path]:
    """Unusual but valid videos: each must yield frames."""
    d = media_dir / "odd"
    return {
        "one_frame": single_frame(d / "one.mp4"),
        "vertical": make_video(d / "vertical.mp4", [Scene(2.0, "navy", ["TALL"], font_size=60)],
                               size=(360, 640)),
        "uhd": make_video(d / "uhd.mp4", [Scene(1.0, "teal", ["UHD"], font_size=200)],
                          size=(3840, 2160)),
        "tiny": make_video(d / "tiny.mp4", [Scene(1.0, "olive", [])], size=(32, 24)),
        "vfr": variable_frame_rate(d / "vfr.mp4"),
        "vp9": make_video(d / "vp9.webm", [Scene(2.0, "maroon", ["WEBM"], font_size=40)],
                          size=(320, 180), codec="libvpx-vp9"),
    }


MakeCard = Callable[[str, list[str], int], Path]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Pipeline tests' settings: the embedded default, a data dir of the module's own."""
    return Settings(DATA_DIR=tmp_path_factory.mktemp("data"), DEFAULT_PROVIDER="embedded")


@pytest.fixture(scope="module")
def pipeline(settings: Settings) -> Pipeline:
    return Pipeline(settings)
