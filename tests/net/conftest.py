"""A real HTTP server on 127.0.0.1 with hostile and friendly routes, and real ffmpeg videos."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from adclf.config import Settings
from tests.support import QuietHandler
from tests.videos import Scene, make_video


@dataclass
class Seen:
    path: str
    host: str | None
    authorization: str | None


@dataclass
class Server:
    base: str
    port: int
    video: bytes
    seen: list[Seen] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, prefix: str) -> int:
        return sum(1 for s in self.seen if s.path.startswith(prefix))


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            server.seen.append(
                Seen(self.path, self.headers.get("Host"), self.headers.get("Authorization"))
            )
            route = parts.path
            if route == "/video.mp4":
                self.send_body(200, server.video, "video/mp4")
            elif route == "/video-as-html":
                self.send_body(200, server.video, "text/html")
            elif route == "/html":
                self.send_body(200, b"<!DOCTYPE html><html><body>Not found</body></html>",
                               "text/html")
            elif route == "/json":
                self.send_body(200, b'{"error": "no video here"}', "application/json")
            elif route == "/text":
                self.send_body(200, b"just some text\n", "text/plain")
            elif route == "/binary":
                self.send_body(200, bytes(range(256)) * 8, "application/octet-stream")
            elif route == "/empty":
                self.send_body(200, b"", "video/mp4")
            elif route == "/redirect":
                self.send_body(int(q.get("code", "302")), b"", "text/plain", {"Location": q["to"]})
            elif route.startswith("/chain/"):
                n = int(route.rsplit("/", 1)[1])
                target = "/video.mp4" if n <= 1 else f"/chain/{n - 1}"  # n redirects
                self.send_body(302, b"", "text/plain", {"Location": target})
            elif route == "/loop":
                self.send_body(302, b"", "text/plain", {"Location": "/loop"})
            elif route == "/drip":
                # valid video bytes, but one small piece every 0.1 s: no single read is slow
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for i in range(0, len(server.video), 64):
                        self.wfile.write(server.video[i : i + 64])
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:
                    pass
            elif route == "/drip-headers":
                try:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for _ in range(200):
                        self.wfile.write(b"X-Slow: 1\r\n")
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass
            elif route == "/big-declared":
                self.send_body(200, server.video[:1024], "video/mp4", length=50 * 1024 * 1024)
            elif route == "/big-stream":
                # no Content-Length: the limit must hold while streaming
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(server.video[:1024])
                    for _ in range(64):
                        self.wfile.write(b"\0" * 65536)
                except OSError:
                    pass
            elif route == "/short-body":
                self.send_body(200, server.video[:2048], "video/mp4", length=len(server.video) * 2)
            else:
                self.send_body(404, b"not found", "text/plain")

    return Handler


@pytest.fixture(scope="session")
def video_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("videos") / "clip.mp4"
    make_video(path, [Scene(1.0, "navy", ["AD"], font_size=24)], size=(160, 120), fps=10)
    return path.read_bytes()


@pytest.fixture(scope="session")
def http_server(video_bytes: bytes) -> Iterator[Server]:
    state = Server(base="", port=0, video=video_bytes)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    state.base = f"http://127.0.0.1:{state.port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(http_server: Server) -> Server:
    http_server.seen.clear()
    return http_server


SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings isolated from the environment and any .env file."""

    def make(**overrides: object) -> Settings:
        values: dict[str, Any] = {
            "_env_file": None,
            "DATA_DIR": tmp_path / "data",
            "URL_FETCH_TIMEOUT": 10.0,
        }
        values.update(overrides)
        return Settings(**values)

    return make
