"""Streaming uploads: limits with and without a declared length, generated names, cleanup."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adclf.errors import BadInput, TooLarge
from adclf.net.uploads import safe_suffix, save_upload
from tests.videos import Scene, make_video


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("up") / "clip.mp4"
    make_video(path, [Scene(0.6, "teal", ["UP"], font_size=20)], size=(96, 64), fps=5)
    return path.read_bytes()


class Source:
    """An async byte stream that records how much of it was consumed."""

    def __init__(self, data: bytes, chunk: int = 1000, fail_at: int | None = None) -> None:
        self.data, self.chunk, self.fail_at = data, chunk, fail_at
        self.consumed = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for i in range(0, len(self.data), self.chunk):
            if self.fail_at is not None and i >= self.fail_at:
                raise ConnectionResetError("client went away")
            self.consumed += len(self.data[i : i + self.chunk])
            await asyncio.sleep(0)
            yield self.data[i : i + self.chunk]


def _save(src: Source, dest: Path, max_bytes: int, **kw: object) -> tuple[Path, int]:
    kw.setdefault("declared_length", None)
    kw.setdefault("suffix", ".mp4")
    return asyncio.run(save_upload(src.__aiter__(), dest, max_bytes, **kw))  # type: ignore[arg-type]


def _leftover_bytes(d: Path) -> int:
    return sum(p.stat().st_size for p in d.rglob("*")) if d.exists() else 0


def test_saves_under_generated_name(video: bytes, tmp_path: Path) -> None:
    path, size = _save(Source(video), tmp_path, len(video), suffix=".MP4")
    assert size == len(video) and path.read_bytes() == video
    assert path.parent == tmp_path
    assert re.fullmatch(r"[0-9a-f]{32}\.mp4", path.name)


def test_suffix_from_content_when_none_given(video: bytes, tmp_path: Path) -> None:
    path, _ = _save(Source(video), tmp_path, 10**7, suffix="")
    assert path.suffix == ".mp4"


def test_declared_too_large_refused_before_reading(video: bytes, tmp_path: Path) -> None:
    src = Source(video)
    with pytest.raises(TooLarge):
        _save(src, tmp_path, 1000, declared_length=len(video))
    assert src.consumed == 0
    assert _leftover_bytes(tmp_path) == 0


def test_undeclared_too_large_refused_while_streaming(video: bytes, tmp_path: Path) -> None:
    src = Source(video * 20, chunk=4096)
    with pytest.raises(TooLarge, match="larger than the"):
        _save(src, tmp_path, len(video) * 2)
    assert src.consumed <= len(video) * 2 + 4096  # stopped right after the limit
    assert _leftover_bytes(tmp_path) == 0


def test_lying_declared_length(video: bytes, tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        _save(Source(video * 3), tmp_path, len(video), declared_length=10)
    assert _leftover_bytes(tmp_path) == 0


def test_exact_limit_is_fine(video: bytes, tmp_path: Path) -> None:
    _, size = _save(Source(video), tmp_path, len(video), declared_length=len(video))
    assert size == len(video)


def test_non_video_and_empty(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="text/html, not a video"):
        _save(Source(b"<html><body>hi</body></html>"), tmp_path, 10**6)
    with pytest.raises(BadInput, match="empty"):
        _save(Source(b""), tmp_path, 10**6)
    assert _leftover_bytes(tmp_path) == 0
    path, _ = _save(Source(b"not a video"), tmp_path, 10**6, suffix="", require_video=False)
    assert path.suffix == ".bin"


@pytest.mark.parametrize("suffix", ["/../x", ".exe", ".mp4/../../a", ".php"])
def test_bad_suffix_parameter(suffix: str, video: bytes, tmp_path: Path) -> None:
    with pytest.raises(BadInput):
        _save(Source(video), tmp_path, 10**7, suffix=suffix)
    assert list(tmp_path.iterdir()) == []


def test_stream_error_leaves_nothing(video: bytes, tmp_path: Path) -> None:
    with pytest.raises(ConnectionResetError):
        _save(Source(video, chunk=500, fail_at=2000), tmp_path, 10**7)
    assert _leftover_bytes(tmp_path) == 0 and list(tmp_path.iterdir()) == []


def test_cancellation_leaves_nothing(video: bytes, tmp_path: Path) -> None:
    async def endless() -> AsyncIterator[bytes]:
        yield video[:1000]
        while True:
            await asyncio.sleep(0.01)
            yield b"\0" * 100

    async def run() -> None:
        task = asyncio.create_task(
            save_upload(endless(), tmp_path, 10**9, declared_length=None, suffix=".mp4")
        )
        await asyncio.sleep(0.1)
        assert len(list(tmp_path.iterdir())) == 1  # the partial file exists while streaming
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("ad.mp4", ".mp4"),
        ("AD.MOV", ".mov"),
        ("spot.final.webm", ".webm"),
        ("C:\\Users\\me\\Videos\\clip.MKV", ".mkv"),
        ("../../etc/passwd", ""),
        ("../../x.mp4", ".mp4"),
        ("evil.mp4.exe", ""),
        ("evil.exe", ""),
        (".mp4", ""),
        ("noext", ""),
        ("a.mp4\x00.sh", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_suffix(name: str | None, suffix: str) -> None:
    assert safe_suffix(name) == suffix
