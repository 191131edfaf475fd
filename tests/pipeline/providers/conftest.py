"""Evidence from a real ffmpeg-made ad, settings pointing at the fake model servers."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from adclf.config import Settings
from adclf.pipeline.types import Evidence, Frame, OcrLine
from tests.fakes import FakeOllama, FakeOpenAI
from tests.videos import Scene, make_video

BRAND = "Maison Dupré"  # only in the OCR text: an echoed brand proves the prompt carried it
CATEGORY = "Bakeries"
SIZE = (1280, 720)  # larger than 768 px so that the resize is exercised
FRAME_TIMES = (0.5, 1.5, 2.5, 3.5, 4.6, 5.2, 5.8)


def grab_frames(video: Path, times: tuple[float, ...], size: tuple[int, int]) -> list[Frame]:
    w, h = size
    frames = []
    for i, t in enumerate(times):
        raw = subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-ss", f"{t}", "-i", str(video), "-frames:v", "1",
             "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
            check=True, capture_output=True, timeout=60,
        ).stdout
        image = np.frombuffer(raw, dtype=np.uint8).reshape(h, w, 3).copy()
        frames.append(Frame(timestamp=t, image=image, index=i))
    return frames


@pytest.fixture(scope="session")
def ad_frames(tmp_path_factory: pytest.TempPathFactory) -> list[Frame]:
    """Three scenes (two product scenes, one end card), sampled over the whole ad."""
    video = make_video(
        tmp_path_factory.mktemp("video") / "ad.mp4",
        [
            Scene(2.0, "darkgreen", ["Pain frais tous les jours"], font_size=60),
            Scene(2.0, "darkred", ["Croissants au beurre", "depuis 1962"], font_size=60),
            Scene(2.0, "black", ["MAISON DUPRÉ", "maisondupre.fr"], font_size=110),
        ],
        size=SIZE,
    )
    return grab_frames(video, FRAME_TIMES, SIZE)


def ocr_lines() -> list[OcrLine]:
    return [
        OcrLine("Pain frais tous les jours", 0.5, 0.95, 0.06),
        OcrLine("Croissants au beurre", 2.5, 0.93, 0.06),
        OcrLine("depuis 1962", 2.5, 0.90, 0.06),
        OcrLine(BRAND, 4.6, 0.97, 0.16, large=True),
        OcrLine("maisondupre.fr", 4.6, 0.91, 0.12),
        OcrLine(BRAND, 5.2, 0.96, 0.16, large=True),  # repeated on the static end card
    ]


@pytest.fixture
def evidence(ad_frames: list[Frame]) -> Evidence:
    return Evidence(frames=list(ad_frames), ocr_lines=ocr_lines(), duration=6.0)


@pytest.fixture
def ollama_server() -> Iterator[FakeOllama]:
    with FakeOllama(brands={BRAND: CATEGORY, "ACME": "Running Shoes"}) as fake:
        yield fake


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(brands={BRAND: CATEGORY, "ACME": "Running Shoes"}) as fake:
        yield fake


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings for a test; short timeout, two retries unless overridden."""

    def make(**values: object) -> Settings:
        defaults: dict[str, object] = {"DATA_DIR": tmp_path, "PROVIDER_TIMEOUT": 10.0,
                                       "PROVIDER_RETRIES": 2}
        defaults.update(values)
        return Settings(**defaults)  # type: ignore[arg-type]

    return make


@pytest.fixture
def closed_port() -> int:
    """A 127.0.0.1 port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
