"""download(): hostile URLs, redirects, pinning against DNS rebinding, time/size limits, sniffing.

A real HTTP server on 127.0.0.1 stands in for the internet. To exercise the
URL_ALLOW_PRIVATE=False path without leaving the machine, an injected resolver answers DNS
questions and an injected connector maps ONE public address (PUBLIC) to that server; any
attempt to connect to another address fails the test.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from adclf.errors import FetchError
from adclf.net.fetch import download

PUBLIC = "93.184.216.34"  # stands for "some host on the internet"


class FakeNet:
    """DNS answers by name; connections to PUBLIC go to the local server, others are refused
    and recorded (a refused connection would already be a policy failure)."""

    def __init__(self, port: int, dns: dict[str, Sequence[str]] | None = None) -> None:
        self.port = port
        self.dns: dict[str, Sequence[str]] = {
            "public.test": [PUBLIC],
            "private.test": ["10.0.0.7"],
            "loopback.test": ["127.0.0.1"],
            "metadata.test": ["169.254.169.254"],
            "mixed.test": [PUBLIC, "127.0.0.1"],
            "mapped.test": ["::ffff:127.0.0.1"],
            "ula.test": ["fd12:3456::1"],
            "scoped.test": ["fe80::1%1"],
            **(dns or {}),
        }
        self.lookups: list[str] = []
        self.connects: list[str] = []
        self.bad_connects: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.dns:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.dns[host])

    def connect(self, ip: str, port: int, timeout: float) -> socket.socket:
        self.connects.append(ip)
        if ip != PUBLIC:
            self.bad_connects.append(ip)
            raise ConnectionRefusedError(f"test network: {ip} is not reachable")
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)


def _files(d: Path) -> list[Path]:
    return sorted(d.iterdir()) if d.exists() else []


def hostile_urls(port: int) -> list[str]:
    p = port
    pub = f"http://public.test:{p}"
    return [
        f"http://127.0.0.1:{p}/video.mp4",
        f"http://2130706433:{p}/video.mp4",
        f"http://0x7f.1:{p}/video.mp4",
        f"http://127.1:{p}/video.mp4",
        f"http://0177.0.0.1:{p}/video.mp4",
        f"http://[::1]:{p}/video.mp4",
        f"http://[::ffff:127.0.0.1]:{p}/video.mp4",
        f"http://[::ffff:7f00:1]:{p}/video.mp4",
        f"http://0.0.0.0:{p}/video.mp4",
        f"http://0:{p}/video.mp4",
        "http://[fd00::1]/video.mp4",
        "http://[fe80::1]/video.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://10.0.0.1/video.mp4",
        "http://192.168.1.1/video.mp4",
        "http://172.16.0.1/video.mp4",
        "http://100.64.0.1/video.mp4",
        "http://224.0.0.1/video.mp4",
        "http://[64:ff9b::7f00:1]/video.mp4",
        "http://[2002:7f00:1::1]/video.mp4",
        f"http://localhost:{p}/video.mp4",
        f"http://foo.localhost:{p}/video.mp4",
        "http://metadata.google.internal/computeMetadata/v1/",
        f"http://private.test:{p}/video.mp4",
        f"http://loopback.test:{p}/video.mp4",
        f"http://metadata.test:{p}/video.mp4",
        f"http://mixed.test:{p}/video.mp4",
        f"http://mapped.test:{p}/video.mp4",
        f"http://ula.test:{p}/video.mp4",
        f"http://scoped.test:{p}/video.mp4",
        f"http://nonexistent.test:{p}/video.mp4",
        f"http://public.test@127.0.0.1:{p}/video.mp4",
        f"http://127.0.0.1:{p}#@public.test/video.mp4",
        f"http://public.test\\@127.0.0.1:{p}/video.mp4",
        f"ftp://public.test:{p}/video.mp4",
        "file:///etc/passwd",
        f"gopher://127.0.0.1:{p}/_GET%20/video.mp4",
        f"{pub}/redirect?to=http://127.0.0.1:{p}/video.mp4",
        f"{pub}/redirect?to=http://169.254.169.254/latest/meta-data/",
        f"{pub}/redirect?to=http://10.0.0.1/video.mp4",
        f"{pub}/redirect?to=http://[::1]:{p}/video.mp4",
        f"{pub}/redirect?to=http://loopback.test:{p}/video.mp4&code=301",
        f"{pub}/redirect?to=http://private.test:{p}/video.mp4&code=307",
        f"{pub}/redirect?to=http://localhost:{p}/video.mp4&code=308",
        f"{pub}/redirect?to=file:///etc/passwd",
        f"{pub}/redirect?to=//127.0.0.1:{p}/video.mp4",
    ]


def test_hostile_urls_fetch_nothing(server, make_settings, tmp_path: Path) -> None:
    settings = make_settings()  # URL_ALLOW_PRIVATE=False
    net = FakeNet(server.port)
    dest = tmp_path / "dl"
    urls = hostile_urls(server.port)
    assert len(urls) >= 25
    fetched: list[str] = []
    for url in urls:
        try:
            download(url, dest, settings, resolver=net.resolve, connector=net.connect)
        except FetchError as err:
            assert str(err), url
        else:
            fetched.append(url)
    assert fetched == []
    assert net.bad_connects == []  # never even tried a non-public address
    assert server.hits("/video.mp4") == 0
    assert server.hits("/latest") == 0
    assert _files(dest) == []
    # the redirector was really reached, so the redirect hops were checked, not skipped
    assert server.hits("/redirect") == 9


def test_success_needs_allow_private_for_loopback(server, make_settings, tmp_path: Path) -> None:
    url = server.url("/video.mp4")
    dest = tmp_path / "dl"
    with pytest.raises(FetchError, match="non-public address"):
        download(url, dest, make_settings(URL_ALLOW_PRIVATE=False))
    assert server.hits("/video.mp4") == 0 and _files(dest) == []

    path = download(url, dest, make_settings(URL_ALLOW_PRIVATE=True))
    assert path.parent == dest and path.suffix == ".mp4"
    assert path.read_bytes() == server.video
    assert _files(dest) == [path]


def test_system_resolver_with_allow_private(server, make_settings, tmp_path: Path) -> None:
    # real getaddrinfo for "localhost"; ::1 may come first and be refused by the IPv4-only
    # server, so this also covers trying the next checked address
    path = download(
        f"http://localhost:{server.port}/video.mp4", tmp_path, make_settings(URL_ALLOW_PRIVATE=True)
    )
    assert path.read_bytes() == server.video


def test_public_host_is_fetched_through_the_pin(server, make_settings, tmp_path: Path) -> None:
    net = FakeNet(server.port)
    path = download(
        f"http://public.test:{server.port}/video.mp4?sig=abc",
        tmp_path,
        make_settings(),
        resolver=net.resolve,
        connector=net.connect,
    )
    assert path.read_bytes() == server.video
    assert net.connects == [PUBLIC]
    assert server.seen[-1].host == f"public.test:{server.port}"  # original Host header
    assert server.seen[-1].path == "/video.mp4?sig=abc"


def test_dns_rebinding_is_defeated_by_the_pin(server, make_settings, tmp_path: Path) -> None:
    """The resolver answers PUBLIC the first time and 127.0.0.1 afterwards. The download must
    connect to the address it checked and never ask DNS again for that hop."""
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])
    net = FakeNet(server.port)
    net.dns.pop("public.test")

    def rebinding(host: str, port: int) -> list[str]:
        net.lookups.append(host)
        return next(answers)

    path = download(
        f"http://rebind.test:{server.port}/video.mp4",
        tmp_path,
        make_settings(),
        resolver=rebinding,
        connector=net.connect,
    )
    assert path.read_bytes() == server.video
    assert net.lookups == ["rebind.test"]  # one lookup: http.client did not resolve again
    assert net.connects == [PUBLIC]
    assert server.seen[-1].host == f"rebind.test:{server.port}"

    # a redirect back to the same name is a new hop: re-resolved, re-checked, refused
    with pytest.raises(FetchError, match="non-public"):
        download(
            f"http://rebind.test:{server.port}/chain/1",
            tmp_path / "second",
            make_settings(),
            resolver=rebinding,
            connector=net.connect,
        )
    assert net.bad_connects == []
    assert server.hits("/video.mp4") == 1  # only the first, pinned download


def test_redirects_are_followed_up_to_the_limit(server, make_settings, tmp_path: Path) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True, URL_MAX_REDIRECTS=3)
    path = download(server.url("/chain/3"), tmp_path, settings)
    assert path.read_bytes() == server.video
    server.seen.clear()
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        download(server.url("/chain/4"), tmp_path, settings)
    assert len(server.seen) == 4  # the first request and three redirects, no more
    with pytest.raises(FetchError, match="too many redirects"):
        download(server.url("/loop"), tmp_path, settings)
    with pytest.raises(FetchError, match="too many redirects"):
        download(
            server.url("/chain/1"),
            tmp_path,
            make_settings(URL_ALLOW_PRIVATE=True, URL_MAX_REDIRECTS=0),
        )
    assert [p.suffix for p in _files(tmp_path) if p.is_file()] == [".mp4"]


def test_whole_download_timeout_on_slow_drip(server, make_settings, tmp_path: Path) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True, URL_FETCH_TIMEOUT=1.0)
    dest = tmp_path / "dl"
    for route in ("/drip", "/drip-headers"):
        start = time.monotonic()
        with pytest.raises(FetchError, match="took longer than 1 s"):
            download(server.url(route), dest, settings)
        elapsed = time.monotonic() - start
        assert 0.9 < elapsed < 3.0, (route, elapsed)
        assert _files(dest) == []


def test_size_limit(server, make_settings, tmp_path: Path) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True, MAX_UPLOAD_MB=1)
    dest = tmp_path / "dl"
    with pytest.raises(FetchError, match="larger than the 1 MB limit"):
        download(server.url("/big-declared"), dest, settings)
    assert _files(dest) == []
    with pytest.raises(FetchError, match="larger than the 1 MB limit"):
        download(server.url("/big-stream"), dest, settings)
    assert _files(dest) == []


@pytest.mark.parametrize(
    ("route", "what"),
    [
        ("/html", "text/html"),
        ("/json", "application/json"),
        ("/text", "text/plain"),
        ("/binary", "an unrecognised file"),
        ("/empty", "an empty body"),
    ],
)
def test_non_video_bodies_are_refused(
    route: str, what: str, server, make_settings, tmp_path: Path
) -> None:
    with pytest.raises(FetchError, match=f"the URL returned {what}.*, not a video"):
        download(server.url(route), tmp_path, make_settings(URL_ALLOW_PRIVATE=True))
    assert _files(tmp_path) == []


def test_bytes_decide_not_the_content_type(server, make_settings, tmp_path: Path) -> None:
    path = download(server.url("/video-as-html"), tmp_path, make_settings(URL_ALLOW_PRIVATE=True))
    assert path.suffix == ".mp4"


def test_http_errors_and_truncation(server, make_settings, tmp_path: Path) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        download(server.url("/missing"), tmp_path, settings)
    with pytest.raises(FetchError, match="HTTP 404"):  # non-ASCII path: encoded, not a crash
        download(server.url("/vidéo.mp4"), tmp_path, settings)
    assert server.seen[-1].path == "/vid%C3%A9o.mp4"
    with pytest.raises(FetchError, match=r"connection closed after 2048 of \d+ bytes"):
        download(server.url("/short-body"), tmp_path, settings)
    assert _files(tmp_path) == []


def test_connection_refused(make_settings, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(FetchError, match="could not connect"):
            download(
                f"http://127.0.0.1:{port}/v.mp4", tmp_path, make_settings(URL_ALLOW_PRIVATE=True)
            )


def test_secrets_never_in_messages_but_credentials_are_sent(
    server, make_settings, tmp_path: Path
) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True, URL_MAX_REDIRECTS=1)
    with pytest.raises(FetchError) as info:
        download(
            f"http://alice:hunter2@127.0.0.1:{server.port}/loop?api_key=SEKRET&page=2",
            tmp_path,
            settings,
        )
    text = str(info.value)
    assert "hunter2" not in text and "SEKRET" not in text and "alice" not in text
    assert "page=2" in text
    assert server.seen[0].authorization == "Basic YWxpY2U6aHVudGVyMg=="  # alice:hunter2
    with pytest.raises(FetchError) as info2:
        download("http://bob:pw123@127.0.0.1:9/x?token=T0K", tmp_path, make_settings())
    assert "pw123" not in str(info2.value) and "T0K" not in str(info2.value)


def test_never_touches_existing_files(server, make_settings, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for _ in range(3):
        download(server.url("/video.mp4"), tmp_path, make_settings(URL_ALLOW_PRIVATE=True))
    assert victim.read_text() == "keep me"
    assert len(_files(tmp_path)) == 4


def test_slow_dns_counts_against_the_timeout(make_settings, tmp_path: Path) -> None:
    release = threading.Event()

    def hanging(host: str, port: int) -> list[str]:
        release.wait(10)
        return [PUBLIC]

    start = time.monotonic()
    try:
        with pytest.raises(FetchError, match="took longer than 0.5 s"):
            download(
                "http://slow-dns.test/v.mp4",
                tmp_path,
                make_settings(URL_FETCH_TIMEOUT=0.5),
                resolver=hanging,
            )
    finally:
        release.set()
    assert time.monotonic() - start < 2.5
