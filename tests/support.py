"""Shared test helpers with a unique module name (every folder's conftest is a module named
`conftest`, so tests import helpers from here, never from a conftest)."""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx

TEST_TOKEN = "test-token-0123456789"


class QuietHandler(BaseHTTPRequestHandler):
    """Base for the small loopback HTTP servers tests run: no access log on stderr, and one way to
    send a complete response."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def send_body(self, status: int, body: bytes, ctype: str,
                  extra: dict[str, str] | None = None, length: int | None = None) -> None:
        """`length` lets a test declare a Content-Length that differs from the body sent."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.send_header("Connection", "close")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may hang up first: that is its test
            self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    secure_url: str  # the same service deployed with API_TOKEN=TEST_TOKEN under /secure
    token: str
    roots: Path
    data_dir: Path

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def wait_job(self, job_id: str, timeout: float = 180.0,
                 until: tuple[str, ...] = ("completed", "failed")) -> dict:
        deadline = time.monotonic() + timeout
        with self.client() as c:
            while time.monotonic() < deadline:
                job = c.get(f"/jobs/{job_id}").json()
                if job.get("status") in until:
                    return job
                time.sleep(0.3)
        raise AssertionError(f"job {job_id} did not reach {until} in {timeout}s: {job}")
