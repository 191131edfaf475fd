"""HTTPS through the pinned address: SNI and certificate checks use the URL's host name even
though the socket goes to the IP that was checked."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adclf.errors import FetchError
from adclf.net.fetch import download

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class TlsServer:
    def __init__(self, port: int, cert: Path) -> None:
        self.port = port
        self.cert = cert
        self.sni: list[str | None] = []
        self.hosts: list[str | None] = []


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory, video_bytes: bytes) -> Iterator[TlsServer]:
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=video.test", "-addext", "subjectAltName=DNS:video.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    state = TlsServer(0, cert)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hosts.append(self.headers.get("Host"))
            self.send_response(200)
            self.send_header("Content-Length", str(len(video_bytes)))
            self.end_headers()
            self.wfile.write(video_bytes)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def remember_sni(sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
        state.sni.append(name)

    ctx.sni_callback = remember_sni
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def _resolver(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def test_https_pinned_with_sni(tls_server: TlsServer, make_settings, tmp_path: Path) -> None:
    client = ssl.create_default_context(cafile=str(tls_server.cert))
    path = download(
        f"https://video.test:{tls_server.port}/ad.mp4",
        tmp_path,
        make_settings(URL_ALLOW_PRIVATE=True),
        resolver=_resolver,
        ssl_context=client,
    )
    assert path.suffix == ".mp4" and path.stat().st_size > 0
    assert tls_server.sni[-1] == "video.test"
    assert tls_server.hosts[-1] == f"video.test:{tls_server.port}"


def test_https_wrong_name_is_refused(tls_server: TlsServer, make_settings, tmp_path: Path) -> None:
    client = ssl.create_default_context(cafile=str(tls_server.cert))
    with pytest.raises(FetchError, match="TLS with other.test failed"):
        download(
            f"https://other.test:{tls_server.port}/ad.mp4",
            tmp_path,
            make_settings(URL_ALLOW_PRIVATE=True),
            resolver=_resolver,
            ssl_context=client,
        )
    assert list(tmp_path.iterdir()) == []


def test_https_untrusted_certificate_is_refused(
    tls_server: TlsServer, make_settings, tmp_path: Path
) -> None:
    with pytest.raises(FetchError, match="TLS with video.test failed"):
        download(
            f"https://video.test:{tls_server.port}/ad.mp4",
            tmp_path,
            make_settings(URL_ALLOW_PRIVATE=True),
            resolver=_resolver,
        )
