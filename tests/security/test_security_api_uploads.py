"""Uploads over MAX_UPLOAD_MB (5 on the session service), with and without Content-Length, and
bodies that are not videos: refused, and not one byte left in the upload folders."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from tests.support import LiveServer

MB = 1024 * 1024
BOUNDARY = "adclf-security-boundary"
MP4_HEAD = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"


def _leftovers(live: LiveServer) -> dict[str, int]:
    """Every file under the service's upload folder and the ingress' temporary upload folders."""
    found: dict[str, int] = {}
    roots = [live.data_dir / "uploads"]
    roots += [p for p in Path(tempfile.gettempdir()).glob("adclf-upload-*") if p.is_dir()]
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for f in files:
                p = Path(dirpath) / f
                with contextlib.suppress(FileNotFoundError):
                    found[str(p)] = p.stat().st_size
    return found


def _multipart(parts: Iterable[bytes], filename: str = "ad.mp4") -> Iterator[bytes]:
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\npipeline\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"{filename}\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
    yield from parts
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _raw_upload(base: str, body: list[bytes], *, chunked: bool, declared: int | None = None,
                stop_after: int | None = None, path: str = "/jobs/upload") -> int | None:
    """POST with a socket: the server may answer 413 and stop reading long before the body is
    sent, which HTTP clients report as a write error instead of the answer. Returns the status,
    or None when the client hung up on purpose (`stop_after` bytes)."""
    parts = urlsplit(base)
    total = sum(len(b) for b in body)
    head = [f"POST {parts.path}{path} HTTP/1.1", f"Host: {parts.netloc}",
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}", "Connection: close"]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    else:
        head.append(f"Content-Length: {declared if declared is not None else total}")
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=60)
    sent = 0
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        try:
            for piece in body:
                data = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
                sock.sendall(data)
                sent += len(piece)
                if stop_after is not None and sent >= stop_after:
                    return None
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered early and closed its side: read that answer
        answer = b""
        while b"\r\n" not in answer:
            got = sock.recv(4096)
            if not got:
                break
            answer += got
        return int(answer.split(b" ", 2)[1]) if answer else -1
    finally:
        sock.close()


def _big(size: int) -> list[bytes]:
    return list(_multipart([MP4_HEAD] + [b"\0" * MB] * (size // MB)))


def _job_total(live: LiveServer) -> int:
    with live.client() as c:
        return int(c.get("/admin/jobs", params={"limit": 1}).headers["X-Total-Count"])


def _settle(live: LiveServer, before: dict[str, int]) -> dict[str, int]:
    """New files under the upload folders, after giving the server a moment to clean up."""
    deadline = time.monotonic() + 10
    while True:
        extra = {k: v for k, v in _leftovers(live).items() if k not in before}
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.2)


@pytest.mark.parametrize("label, body, chunked, expected", [
    ("6 MB with Content-Length", _big(6 * MB), False, 413),
    ("6 MB chunked, no Content-Length", _big(6 * MB), True, 413),
    ("12 MB chunked, no Content-Length", _big(12 * MB), True, 413),
    ("limit + 1 byte: passes the header check, caught while streaming",
     list(_multipart([MP4_HEAD, b"\0" * (5 * MB + 1 - len(MP4_HEAD))])), False, 413),
    ("HTML, not a video", list(_multipart([b"<!DOCTYPE html><html>" + b"x" * 200_000])),
     False, 400),
    ("HTML, not a video, chunked", list(_multipart([b"<html>" + b"x" * 200_000])), True, 400),
    ("ELF binary", list(_multipart([b"\x7fELF\x02\x01\x01" + b"\0" * 50_000])), False, 400),
    ("empty file", list(_multipart([])), False, 400),
])
def test_refused_upload_leaves_nothing(live_server: LiveServer, label: str, body: list[bytes],
                                       chunked: bool, expected: int) -> None:
    before_files = _leftovers(live_server)
    before_jobs = _job_total(live_server)
    status = _raw_upload(live_server.url, body, chunked=chunked)
    assert status == expected, label
    extra = _settle(live_server, before_files)
    assert not extra, f"{label}: left {sum(extra.values())} bytes in {list(extra)}"
    assert _job_total(live_server) == before_jobs


def test_a_client_that_hangs_up_mid_upload_leaves_nothing(live_server: LiveServer) -> None:
    before = _leftovers(live_server)
    for chunked in (False, True):
        assert _raw_upload(live_server.url, _big(4 * MB), chunked=chunked,
                           stop_after=2 * MB) is None
    extra = _settle(live_server, before)
    assert not extra, f"left {sum(extra.values())} bytes in {list(extra)}"


def test_the_clients_file_name_is_only_metadata(live_server: LiveServer,
                                                sample_ad: Path) -> None:
    """A traversal in the file name neither chooses where the file goes nor what it is called."""
    evil = "../../../../tmp/adclf-evil-upload.mp4"
    body = list(_multipart([sample_ad.read_bytes()], filename=evil))
    before = set(_leftovers(live_server))
    with live_server.client() as c:
        r = c.post("/jobs/upload", content=b"".join(body),
                   headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                            "X-Filename": evil})
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        job = c.get(f"/jobs/{job_id}").json()
        new = [Path(p) for p in set(_leftovers(live_server)) - before]
        c.delete(f"/jobs/{job_id}")
    assert job["original_name"] == evil and job["url"] == evil
    assert not Path("/tmp/adclf-evil-upload.mp4").exists()
    assert len(new) == 1 and new[0].is_relative_to((live_server.data_dir / "uploads").resolve())
    assert len(new[0].stem) == 32 and new[0].suffix == ".mp4" and "evil" not in new[0].name
