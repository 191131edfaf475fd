"""Fixtures for the CLI tests: an in-process runner of the real `adclf` Typer app, a loopback
HTTP server that serves videos by URL, and one job submitted through the CLI and shared.

Not a conftest.py: several folders' conftest modules would all be `conftest` in sys.modules
(no __init__.py), which breaks `from conftest import LiveServer` elsewhere. Test modules import
the fixtures they use from here (each session fixture from one module only)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result
from videos import simple_ad

from adclf.cli import app

if TYPE_CHECKING:
    # not `from conftest import`: inside this folder that name is this file
    from tests.conftest import LiveServer

Run = Callable[..., Result]


@pytest.fixture
def cli() -> Run:
    """`cli("jobs", server=url)` runs `adclf --server url jobs` with no ADCLF_* variables from
    the developer's shell, so a stray ADCLF_TOKEN cannot make a test pass."""
    runner = CliRunner()

    def run(*args: str, server: str | None = None, env: dict[str, str] | None = None) -> Result:
        full_env: dict[str, str | None] = {"ADCLF_SERVER": None, "ADCLF_TOKEN": None,
                                           "COLUMNS": "200"}
        full_env.update(env or {})
        argv = (["--server", server] if server else []) + list(args)
        return runner.invoke(app, argv, env=full_env, catch_exceptions=False)

    return run


class _Handler(http.server.BaseHTTPRequestHandler):
    payloads: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802
        ctype, body = self.payloads.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in self.payloads else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def video_http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serves /lego.mp4 (a real ad) and /page.html (not a video) on 127.0.0.1."""
    ad = simple_ad(tmp_path_factory.mktemp("cli-url") / "lego.mp4", brand="LEGO",
                   domain="lego.com", seconds=4)
    _Handler.payloads = {
        "/lego.mp4": ("video/mp4", ad.read_bytes()),
        "/page.html": ("text/html", b"<html><body>not a video</body></html>"),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@dataclass
class CliJob:
    job_id: str
    result: Result
    video: Path


@pytest.fixture(scope="session")
def cli_job(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> CliJob:
    """One local file uploaded and watched to the end with `adclf submit --watch`."""
    video = simple_ad(tmp_path_factory.mktemp("cli-upload") / "ikea spring ad.mp4",
                      brand="IKEA", domain="ikea.com", seconds=4)
    runner = CliRunner()
    result = runner.invoke(app, ["--server", live_server.url, "submit", str(video), "--watch",
                                 "--scan-mode", "tail", "--timeout", "240"],
                           env={"ADCLF_SERVER": None, "ADCLF_TOKEN": None, "COLUMNS": "200"},
                           catch_exceptions=False)
    job_id = result.stdout.splitlines()[0].strip() if result.stdout else ""
    return CliJob(job_id, result, video)
