"""The bounded intake on its own: limits, sniffing, renaming and clean-up, with a sync feed (as a
download uses it) and an async one (as an upload does), on a real ffmpeg video."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path

import pytest

from adclf.errors import AdclfError, BadInput, FetchError, TooLarge
from adclf.net.intake import DOWNLOAD, UPLOAD, Door, Intake
from adclf.net.sniff import SNIFF_BYTES
from tests.videos import Scene, make_video

HTML = b"<!DOCTYPE html><html><body>" + b"x" * 5000 + b"</body></html>"


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("intake") / "clip.mp4"
    make_video(path, [Scene(0.6, "olive", ["IN"], font_size=20)], size=(96, 64), fps=5)
    return path.read_bytes()


def _chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


class Counted:
    """A sync feed that records how much of it was consumed."""

    def __init__(self, data: bytes, size: int = 1000) -> None:
        self.parts = _chunks(data, size)
        self.consumed = 0

    def __iter__(self) -> Iterator[bytes]:
        for part in self.parts:
            self.consumed += len(part)
            yield part


async def _aiter(parts: Iterable[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        await asyncio.sleep(0)
        yield part


def _take(feed: str, intake: Intake, parts: Iterable[bytes]) -> Path:
    if feed == "sync":
        return intake.take(parts)
    return asyncio.run(intake.take_async(_aiter(parts)))


def _files(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


@pytest.mark.parametrize("feed", ["sync", "async"])
@pytest.mark.parametrize("door", [DOWNLOAD, UPLOAD], ids=["download", "upload"])
def test_success_renames_the_part_file(feed: str, door: Door, video: bytes,
                                       tmp_path: Path) -> None:
    intake = Intake(tmp_path / "in", len(video), door)
    path = _take(feed, intake, _chunks(video))
    assert re.fullmatch(r"[0-9a-f]{32}\.mp4", path.name)
    assert path.read_bytes() == video and intake.size == len(video)
    assert _files(tmp_path / "in") == [path.name]  # no .part left beside it


@pytest.mark.parametrize("feed", ["sync", "async"])
@pytest.mark.parametrize(
    ("door", "error", "message"),
    [(DOWNLOAD, FetchError, "the video is larger than the 0.0625 MB limit"),
     (UPLOAD, TooLarge, "the upload is larger than the 0.0625 MB limit")],
    ids=["download", "upload"],
)
def test_limit_exceeded_leaves_no_file(feed: str, door: Door, error: type[AdclfError],
                                       message: str, video: bytes, tmp_path: Path) -> None:
    limit = 64 * 1024
    parts = Counted(video[:SNIFF_BYTES] + b"\0" * (limit * 4), size=4096)
    with pytest.raises(error) as info:
        _take(feed, Intake(tmp_path, limit, door), parts)
    assert str(info.value) == message
    assert _files(tmp_path) == []
    if feed == "sync":
        assert parts.consumed <= limit + 4096  # stopped at the first chunk past the limit


@pytest.mark.parametrize("door", [DOWNLOAD, UPLOAD], ids=["download", "upload"])
def test_declared_length_over_the_limit_is_refused_before_any_file(door: Door,
                                                                   tmp_path: Path) -> None:
    with pytest.raises(door.too_large_error, match="larger than the 1 MB limit"):
        Intake(tmp_path / "in", 1024 * 1024, door, declared_length=1024 * 1024 + 1)
    assert not (tmp_path / "in").exists()


@pytest.mark.parametrize("feed", ["sync", "async"])
def test_non_video_is_refused_with_the_door_s_message(feed: str, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as fetch_err:
        _take(feed, Intake(tmp_path, 10**6, DOWNLOAD, content_type="text/html"), _chunks(HTML))
    assert str(fetch_err.value) == "the URL returned text/html, not a video"
    with pytest.raises(BadInput) as upload_err:
        _take(feed, Intake(tmp_path, 10**6, UPLOAD), _chunks(b'{"error": "nope"}'))
    assert str(upload_err.value) == "the upload is application/json, not a video"
    assert _files(tmp_path) == []


def test_a_download_stops_reading_at_the_sniff_window(tmp_path: Path) -> None:
    parts = Counted(HTML * 100, size=SNIFF_BYTES)
    with pytest.raises(FetchError, match="text/html, not a video"):
        Intake(tmp_path, 10**7, DOWNLOAD).take(parts)
    assert parts.consumed == SNIFF_BYTES
    assert _files(tmp_path) == []


def test_an_upload_over_the_limit_is_too_large_whatever_it_holds(tmp_path: Path) -> None:
    # Uploads are judged when complete: a huge HTML body is a 413, not a 400.
    with pytest.raises(TooLarge):
        Intake(tmp_path, 2 * SNIFF_BYTES, UPLOAD).take(_chunks(HTML))
    assert _files(tmp_path) == []


def test_empty_bodies(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="^the upload is empty$"):
        Intake(tmp_path, 10**6, UPLOAD).take([b"", b""])
    with pytest.raises(FetchError, match="^the URL returned an empty body, not a video$"):
        Intake(tmp_path, 10**6, DOWNLOAD).take([])
    assert _files(tmp_path) == []


def test_suffix_given_kept_or_bin_when_video_not_required(video: bytes, tmp_path: Path) -> None:
    assert Intake(tmp_path, 10**7, UPLOAD, suffix=".MOV").take([video]).suffix == ".mov"
    loose = Intake(tmp_path, 10**6, UPLOAD, require_video=False).take([b"plain text"])
    assert loose.suffix == ".bin" and loose.read_bytes() == b"plain text"


@pytest.mark.parametrize("suffix", ["/../x", ".exe", ".mp4/../../a", ".part"])
def test_a_suffix_outside_the_video_list_is_refused(suffix: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unsupported file extension"):
        Intake(tmp_path, 10**6, UPLOAD, suffix=suffix)
    assert _files(tmp_path) == []


@pytest.mark.parametrize("feed", ["sync", "async"])
def test_a_failing_feed_leaves_nothing(feed: str, video: bytes, tmp_path: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield from _chunks(video[:3000])
        raise ConnectionResetError("peer went away")

    with pytest.raises(ConnectionResetError):
        _take(feed, Intake(tmp_path, 10**7, UPLOAD), broken())
    assert _files(tmp_path) == []


def test_cancelling_an_async_feed_leaves_nothing(video: bytes, tmp_path: Path) -> None:
    async def endless() -> AsyncIterator[bytes]:
        yield video[:1000]
        while True:
            await asyncio.sleep(0.01)
            yield b"\0" * 100

    async def run() -> None:
        task = asyncio.create_task(Intake(tmp_path, 10**9, UPLOAD).take_async(endless()))
        await asyncio.sleep(0.1)
        assert [p.suffix for p in tmp_path.iterdir()] == [".part"]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert _files(tmp_path) == []

