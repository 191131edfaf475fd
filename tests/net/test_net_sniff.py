"""Container sniffing on real ffmpeg-made files, and what non-videos are called."""

from __future__ import annotations

import pytest

from adclf.net.sniff import SNIFF_BYTES, describe_non_video, video_suffix
from tests.videos import Scene, make_video

CONTAINERS = [
    (".mp4", "libx264", ".mp4"),
    (".mov", "libx264", ".mov"),
    (".m4v", "libx264", ".mp4"),
    (".mkv", "libx264", ".mkv"),
    (".webm", "libvpx", ".webm"),
    (".avi", "mpeg4", ".avi"),
    (".ts", "mpeg2video", ".ts"),
    (".mpg", "mpeg2video", ".mpg"),
    (".flv", "flv", ".flv"),
]


@pytest.mark.parametrize(("ext", "codec", "expected"), CONTAINERS)
def test_real_containers(
    ext: str, codec: str, expected: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("sniff") / f"clip{ext}"
    make_video(path, [Scene(0.4, "red", [])], size=(64, 64), fps=5, codec=codec)
    head = path.read_bytes()[:SNIFF_BYTES]
    assert video_suffix(head) == expected


@pytest.mark.parametrize(
    ("body", "ctype", "what"),
    [
        (b"<!DOCTYPE html><html><head></head></html>", "text/html", "text/html"),
        (b"\xef\xbb\xbf  <html lang=en>", None, "text/html"),
        (b"<?xml version='1.0'?><Error/>", "application/xml", "XML"),
        (b'{"detail": "Not Found"}', "application/json", "application/json"),
        (b'[{"a": 1}, {"b": ', None, "application/json"),
        (b"Access denied\n", "text/plain", "text/plain"),
        (b"", "video/mp4", "an empty body"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "an unrecognised file (image/png)"),
        (b"PK\x03\x04\x14\x00\x00\x00", None, "an unrecognised file"),
    ],
)
def test_non_video(body: bytes, ctype: str | None, what: str) -> None:
    assert video_suffix(body) is None
    assert describe_non_video(body, ctype) == what


def test_short_heads_are_not_videos() -> None:
    for head in (b"\x00", b"\x00\x00\x00\x18ft", b"RIFF\x00\x00\x00\x00WAVE", b"G" * 10):
        assert video_suffix(head) is None
