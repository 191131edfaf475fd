"""Extra Serve apps with stricter settings, and counting HTTP servers on 127.0.0.1.

The session's `live_server` allows private URLs (so other tests can fetch from 127.0.0.1). The
security tests need services that refuse them, so this module deploys more apps next to it on the
same Serve HTTP port. Each gets its own NODE_NAME, hence its own JobStore actor, its own worker and
its own settings in that worker: a job accepted by `/hostile` is fetched under
URL_ALLOW_PRIVATE=false, not under the session app's settings."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support import QuietHandler

if TYPE_CHECKING:
    from tests.support import LiveServer

HOSTILE_TOKEN = "hostile-token-9f8e7d6c5b4a"
GUARDED_TOKEN = "guarded-token-0a1b2c3d4e5f"
OPENAI_SECRET = "sk-adclf-test-SECRET-7c1e0f"
OLLAMA_SECRET = "ollama-pw-SECRET-51d2"
CORS_ORIGIN = "http://dashboard.adclf.test:5173"


# ---- counting HTTP servers ---------------------------------------------------------------------
@dataclass
class CountingServer:
    """Records every request it receives; `hits` is the proof that nothing reached it."""

    port: int
    httpd: ThreadingHTTPServer
    paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hits(self) -> int:
        return len(self.paths)


def _handler(server: CountingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            server.paths.append(self.path)
            parts = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/bounce":
                self.send_body(302, b"", "text/plain", {"Location": q["to"]})
            elif parts.path == "/loop":
                self.send_body(302, b"", "text/plain", {"Location": "/loop"})
            elif parts.path == "/big.mp4":
                # A video header, then a declared size far over MAX_UPLOAD_MB (5 MB).
                self.send_response(200)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.send_header("Connection", "close")
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(b"\0\0\0\x18ftypmp42" + b"\0" * 4096)
            elif parts.path == "/hold":
                # Keeps a worker busy (a pending job) until the test releases it.
                server.release.wait(30)
                self.send_body(200, b"<html>released</html>", "text/html")
            else:
                self.send_body(200, b"<!DOCTYPE html><html><body>not a video</body></html>",
                               "text/html")

        do_GET = _any
        do_POST = _any
        do_HEAD = _any

    return Handler


@contextlib.contextmanager
def counting_server() -> Iterator[CountingServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server = CountingServer(int(httpd.server_address[1]), httpd)
    httpd.RequestHandlerClass = _handler(server)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def target() -> Iterator[CountingServer]:
    """The server hostile URLs point at: it must never be reached."""
    with counting_server() as s:
        yield s


@pytest.fixture()
def redirector() -> Iterator[CountingServer]:
    with counting_server() as s:
        yield s


# ---- extra Serve apps --------------------------------------------------------------------------
@dataclass
class ExtraApp:
    url: str
    token: str
    node: str
    data_dir: Path

    def client(self, timeout: float = 30.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=self.url, timeout=timeout, headers=headers)

    def wait_job(self, job_id: str, timeout: float = 240.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        job: dict[str, Any] = {}
        with self.client() as c:
            while time.monotonic() < deadline:
                job = c.get(f"/jobs/{job_id}").json()
                if job.get("status") in ("completed", "failed"):
                    return job
                time.sleep(0.5)
        raise AssertionError(f"job {job_id} did not finish in {timeout}s: {job}")

    def job_count(self) -> int:
        with self.client() as c:
            page = c.get("/admin/jobs", params={"limit": 1})
        return int(page.headers["x-total-count"])


def _deploy(live: LiveServer, base: Path, name: str, prefix: str, node: str,
            overrides: dict[str, Any]) -> ExtraApp:
    from ray import serve

    from adclf.api.deployment import build_app

    data = base / name
    settings: dict[str, Any] = {
        "NODE_NAME": node, "DATA_DIR": str(data), "ALLOWED_FOLDER_ROOTS": [str(live.roots)],
        "WORKERS_PER_NODE": 1, "LEASE_SECONDS": 6.0, "HEARTBEAT_SECONDS": 1.0,
        "MAX_ATTEMPTS": 1, "URL_FETCH_TIMEOUT": 15.0, "MAX_UPLOAD_MB": 5,
        "CLEANUP_ENABLED": False,
        # These jobs end at the download; "ollama" spares the worker's start-up the embedded
        # model warm-up (tens of seconds of CPU on a 2-core box). Nothing calls Ollama.
        "DEFAULT_PROVIDER": "ollama", **overrides,
    }
    # Not waiting here: both apps deploy at the same time and `_wait_healthy` waits for both.
    serve._run(build_app(settings), name=name, route_prefix=prefix, _blocking=False)
    return ExtraApp(live.url + prefix, settings["API_TOKEN"] or "", node, data)


def _wait_healthy(apps: list[ExtraApp]) -> None:
    deadline = time.monotonic() + 180
    pending = list(apps)
    while pending and time.monotonic() < deadline:
        for app in list(pending):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{app.url}/health", timeout=5).status_code == 200:
                    pending.remove(app)
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"extra apps not healthy in 180 s: {[a.url for a in pending]}")


@dataclass
class ExtraApps:
    hostile: ExtraApp
    guarded: ExtraApp
    fuzz: ExtraApp


@pytest.fixture(scope="session")
def extra_apps(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[ExtraApps]:
    """`/hostile`: private targets refused (the default a public deployment runs with).
    `/guarded`: private targets allowed but `localhost` denied, so a redirector on 127.0.0.1 can
    be reached and the re-check of its redirect is what refuses; small limits; one CORS origin;
    secrets in settings that must never be shown.
    `/fuzz`: for schemathesis, which changes state (maintenance, deletes, queued jobs): no
    workers, so no fuzzed URL is ever fetched, and the session node is left alone."""
    import ray
    from ray import serve

    from tests.fakes.fake_ollama import FakeOllama

    base = tmp_path_factory.mktemp("api-security")
    ollama = FakeOllama().start()  # /ollama/models answers 200 (and shows OLLAMA_HOST)
    ollama_host = f"http://adclf:{OLLAMA_SECRET}@127.0.0.1:{ollama.port}"
    hostile = _deploy(live_server, base, "adclf-hostile", "/hostile", "node-h", {
        "URL_ALLOW_PRIVATE": False, "API_TOKEN": HOSTILE_TOKEN})
    guarded = _deploy(live_server, base, "adclf-guarded", "/guarded", "node-g", {
        "URL_ALLOW_PRIVATE": True, "URL_HOST_DENYLIST": ["localhost"],
        "URL_MAX_REDIRECTS": 3, "MAX_URLS_PER_REQUEST": 5, "MAX_PENDING_JOBS_PER_NODE": 2,
        "CORS_ORIGINS": [CORS_ORIGIN], "API_TOKEN": GUARDED_TOKEN,
        "OPENAI_API_KEY": OPENAI_SECRET,
        "OLLAMA_HOST": ollama_host,
    })
    fuzz = _deploy(live_server, base, "adclf-fuzz", "/fuzz", "node-f", {
        "WORKERS_PER_NODE": 0, "URL_ALLOW_PRIVATE": False, "API_TOKEN": None,
        "OLLAMA_HOST": ollama_host})
    _wait_healthy([hostile, guarded, fuzz])
    yield ExtraApps(hostile, guarded, fuzz)
    ollama.stop()
    for name in ("adclf-hostile", "adclf-guarded", "adclf-fuzz"):
        with contextlib.suppress(Exception):
            serve.delete(name)
    # The node actors are detached: end them so later tests do not share the CPU with them.
    from adclf.store.client import NAMESPACE, store_actor_name
    from adclf.workers.worker import worker_actor_name

    for node in ("node-h", "node-g", "node-f"):
        for actor in (store_actor_name(node), worker_actor_name(node, 0)):
            with contextlib.suppress(Exception):
                ray.kill(ray.get_actor(actor, namespace=NAMESPACE))
