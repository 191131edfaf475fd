"""A small threaded HTTP/1.1 JSON server on 127.0.0.1 that records what it got. The fakes of the
model servers subclass it and supply their routes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from tests.fakes._answers import ImageInfo


@dataclass
class Behaviour:
    """How the fake answers; tests may change it between (or during) calls.

    The default is an "echo" model: the answer names the first of `brands` that occurs in the
    user's text (so a test proves the OCR text reached the prompt), with `brands[brand]` as the
    category. Counters (`fail`, `invalid_json`) count down one per chat call."""

    brands: dict[str, str] = field(default_factory=lambda: {"ACME": "Running Shoes"})
    # One value per chat call, the last one repeating: [0.4, 0.9] answers 0.4 then 0.9.
    confidence: list[float] = field(default_factory=lambda: [0.92])
    answer: dict[str, Any] | str | None = None  # fixed answer object (or raw text) instead of echo
    invalid_json: int = 0  # the next N chat answers are prose, not JSON
    fail: int = 0  # the next N chat calls fail with HTTP `fail_status`
    fail_status: int = 500
    delay: float = 0.0  # seconds before a chat call answers (for timeouts)
    models: list[str] | None = None  # installed models; None = the server's defaults
    check_images: bool = True  # refuse (400) images that are not base64 JPEGs <= max_image_side
    max_image_side: int = 768
    api_key: str | None = None  # OpenAI fake: required bearer token
    # Tool calling: one scripted reply per chat call (see _script.py); None = the echo model.
    script: list[dict[str, Any]] | None = None


@dataclass
class Plan:
    fail: bool = False
    prose: bool = False
    confidence: float = 0.0


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0
    model: str = ""
    text: str = ""  # the user's text of a chat request
    system: str = ""
    images: list[ImageInfo] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)  # names of the tools offered
    tool_results: list[dict[str, Any]] = field(default_factory=list)  # role=tool messages
    scripted: dict[str, Any] | None = None  # the script entry this call answered with


class FakeServer:
    """Start with `with Fake() as fake:` (or `.start()`/`.stop()`); `fake.url` is its address."""

    default_models: list[str] = []

    def __init__(self, behaviour: Behaviour | None = None, **overrides: Any) -> None:
        self.behaviour = behaviour or Behaviour(**overrides)
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._answers = 0
        self._scripted = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # wakes handlers sleeping in a `delay`
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------- helpers for routes

    @property
    def models(self) -> list[str]:
        return list(self.behaviour.models if self.behaviour.models is not None
                    else self.default_models)

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(("/api/chat", "/chat/completions"))]

    def next_chat_call(self) -> Plan:
        """Decide how to answer one chat call that passed the model and image checks. Failures
        and prose answers do not use up a confidence value: [0.4, 0.9] means "first JSON answer
        0.4, the next 0.9", whatever failed in between."""
        b = self.behaviour
        with self._lock:
            if b.fail > 0:
                b.fail -= 1
                return Plan(fail=True)
            if b.invalid_json > 0:
                b.invalid_json -= 1
                return Plan(prose=True)
            confs = b.confidence or [0.9]
            conf = confs[min(self._answers, len(confs) - 1)]
            self._answers += 1
            return Plan(confidence=conf)

    def next_scripted(self) -> dict[str, Any] | None:
        """The script's reply for this call (after `next_chat_call` decided it answers)."""
        script = self.behaviour.script
        if script is None:
            return None
        with self._lock:
            entry = script[min(self._scripted, len(script) - 1)]
            self._scripted += 1
            return entry

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self._closing.wait(seconds)

    def record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)

    # ------------------------------------------------------------- routing (subclasses)

    def route(self, rec: Recorded) -> tuple[int, Any, str]:
        """-> (status, JSON body | iterator of byte chunks, content type)."""
        raise NotImplementedError


def _make_handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            return  # keep test output clean

        def _handle(self) -> None:
            try:
                self._serve()
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (a timeout test): nothing to answer to.
                self.close_connection = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except json.JSONDecodeError:
                body = raw.decode("utf-8", "replace")
            rec = Recorded(
                method=self.command,
                path=self.path.split("?", 1)[0],
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            server.record(rec)
            status, payload, ctype = server.route(rec)
            rec.status = status
            if isinstance(payload, Iterator):
                self._send_chunks(status, payload, ctype)
                return
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_chunks(self, status: int, chunks: Iterator[bytes], ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(f"{len(chunk):X}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._handle()

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            self._handle()

        def do_DELETE(self) -> None:  # noqa: N802 - stdlib name
            self._handle()

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self._handle()

    return Handler
