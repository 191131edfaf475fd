"""The one way the pipeline fetches a URL: SSRF-checked, address-pinned, bounded in time and size.

Every hop (the first request and each redirect):
1. `validate_url` again (scheme, allow/deny lists, literal IPs);
2. resolve the host ONCE and refuse if any answer is not public (unless URL_ALLOW_PRIVATE);
3. connect to one of exactly those checked addresses (the name is never resolved again, so DNS
   rebinding cannot swap the target), sending the original Host header and TLS SNI/certificate
   check for the original name.
A watchdog closes the socket when URL_FETCH_TIMEOUT runs out, which bounds the whole download
(DNS, connect, slow-drip headers and body) rather than each read.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from adclf.config import Settings
from adclf.errors import AdclfError, FetchError
from adclf.net.addresses import IPAddress, is_public
from adclf.net.sniff import SNIFF_BYTES, describe_non_video, video_suffix
from adclf.net.urls import validate_url
from adclf.security.redact import redact_url

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings. Tests inject one to simulate DNS answers."""

Connector = Callable[[str, int, float], socket.socket]
"""(checked ip, port, timeout) -> connected socket. Tests inject one to observe the pin."""

_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
_USER_AGENT = "adclf/0.1 (video ad classifier)"


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def system_connector(ip: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((ip, port), timeout=timeout)


class _Deadline:
    """Whole-download time budget; on expiry shuts the current socket to unblock any read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        # `expired` too: a read cut short by the watchdog can look like a clean end of body
        if left <= 0 or self.expired:
            self.expired = True
            raise FetchError(f"the download took longer than {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@dataclass
class _Hop:
    url: str
    scheme: str
    host: str  # normalised; IPv6 without brackets
    port: int
    target: str  # path + query
    host_header: str
    authorization: str | None


def _parse_hop(url: str) -> _Hop:
    parts = urlsplit(url)
    scheme = parts.scheme
    host = parts.hostname or ""
    default = 443 if scheme == "https" else 80
    port = parts.port or default
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if port == default else f"{shown_host}:{port}"
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    auth = None
    if parts.username is not None:
        raw = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        auth = "Basic " + base64.b64encode(raw).decode("ascii")
    return _Hop(url, scheme, host, port, target, host_header, auth)


def _call_with_timeout(resolver: Resolver, host: str, port: int, timeout: float) -> Sequence[str]:
    """getaddrinfo cannot be cancelled: run it in a daemon thread (which neither blocks
    interpreter exit nor the caller) and give up after `timeout`."""
    result: list[Sequence[str]] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(resolver(host, port))
        except BaseException as err:  # handed to the caller below
            error.append(err)

    thread = threading.Thread(target=run, name=f"resolve-{host[:40]}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(host)
    if error:
        raise error[0]
    return result[0]


def _checked_addresses(
    hop: _Hop, settings: Settings, resolver: Resolver, deadline: _Deadline
) -> list[str]:
    """Resolve once and refuse unless every answer is public (a mixed answer is a rebinding
    trick: the client might pick either address)."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(hop.host)
    except ValueError:
        literal = None
    if literal is not None:
        answers: Sequence[str] = [str(literal)]
    else:
        try:
            answers = _call_with_timeout(resolver, hop.host, hop.port, deadline.remaining())
        except TimeoutError as err:
            deadline.expired = True  # the budget was used up; do not race the watchdog timer
            raise FetchError(f"resolving {hop.host} took too long") from err
        except (OSError, UnicodeError) as err:
            raise FetchError(f"could not resolve the host {hop.host}") from err
    addresses: list[str] = []
    for answer in answers:
        try:
            ip = ipaddress.ip_address(answer)
        except ValueError as err:
            # scoped IPv6 answers (fe80::1%eth0) land here too: never public
            raise FetchError(f"the host {hop.host} resolves to an unusable address") from err
        if not settings.URL_ALLOW_PRIVATE and not is_public(ip):
            raise FetchError(
                f"the host {hop.host} resolves to a non-public address ({ip}); "
                "set URL_ALLOW_PRIVATE=true to allow it"
            )
        if str(ip) not in addresses:
            addresses.append(str(ip))
    if not addresses:
        raise FetchError(f"could not resolve the host {hop.host}")
    return addresses


def _connect(
    hop: _Hop,
    addresses: list[str],
    connector: Connector,
    tls: ssl.SSLContext | None,
    deadline: _Deadline,
) -> http.client.HTTPConnection:
    last: OSError | None = None
    for ip in addresses:
        try:
            sock = connector(ip, hop.port, deadline.remaining())
        except OSError as err:
            last = err
            continue
        deadline.watch(sock)
        if hop.scheme == "https":
            context = tls or ssl.create_default_context()
            # SNI and certificate verification use the original name, not the pinned IP
            server_name = None if _is_ip(hop.host) else hop.host
            try:
                sock = context.wrap_socket(sock, server_hostname=server_name or hop.host)
            except (OSError, ssl.SSLError) as err:
                sock.close()
                raise FetchError(f"TLS with {hop.host} failed: {_reason(err)}") from err
            deadline.watch(sock)
        conn = http.client.HTTPConnection(hop.host, hop.port, timeout=deadline.remaining())
        conn.sock = sock  # pre-connected: http.client will not resolve or connect again
        return conn
    reason = _reason(last) if last else "no address"
    raise FetchError(f"could not connect to {hop.host}: {reason}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _reason(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text[:200]


def _request(conn: http.client.HTTPConnection, hop: _Hop) -> http.client.HTTPResponse:
    conn.putrequest("GET", hop.target, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", hop.host_header)
    conn.putheader("User-Agent", _USER_AGENT)
    conn.putheader("Accept", "video/*, application/octet-stream;q=0.9, */*;q=0.1")
    # compressed bodies would defeat both the size limit and the container sniffing
    conn.putheader("Accept-Encoding", "identity")
    conn.putheader("Connection", "close")
    if hop.authorization:
        conn.putheader("Authorization", hop.authorization)
    conn.endheaders()
    return conn.getresponse()


def _stream_body(
    resp: http.client.HTTPResponse,
    dest_dir: Path,
    max_bytes: int,
    deadline: _Deadline,
    sock: socket.socket | None,
) -> Path:
    limit_mb = max_bytes / (1024 * 1024)
    header = (resp.getheader("Content-Length") or "").strip()
    declared = int(header) if header.isdigit() else None
    if declared is not None and declared > max_bytes:
        raise FetchError(f"the video is larger than the {limit_mb:g} MB limit")
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    part = dest_dir / f"{stem}.part"
    total = 0
    head = b""
    suffix: str | None = None
    try:
        # O_EXCL: never follow or reuse an existing path, even a planted symlink
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "wb") as out:
            while True:
                if sock is not None:
                    sock.settimeout(deadline.remaining())
                chunk = resp.read1(_CHUNK)
                deadline.remaining()
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"the video is larger than the {limit_mb:g} MB limit")
                out.write(chunk)
                if suffix is None and len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                    if len(head) >= SNIFF_BYTES:
                        suffix = _require_video(head, resp)
        # read1() reports an early close as a plain end of body
        if declared is not None and total < declared and not resp.chunked:
            raise FetchError(f"the connection closed after {total} of {declared} bytes")
        if suffix is None:
            suffix = _require_video(head, resp)
        final = dest_dir / f"{stem}{suffix}"
        os.replace(part, final)
        return final
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def _require_video(head: bytes, resp: http.client.HTTPResponse) -> str:
    suffix = video_suffix(head)
    if suffix is None:
        what = describe_non_video(head, resp.getheader("Content-Type"))
        raise FetchError(f"the URL returned {what}, not a video")
    return suffix


def download(
    url: str,
    dest_dir: Path,
    settings: Settings,
    *,
    resolver: Resolver | None = None,
    connector: Connector | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> Path:
    """Fetch `url` into a new file in `dest_dir` and return its path (a generated name whose
    suffix comes from the sniffed container). Raises FetchError for every refusal or failure;
    messages never contain userinfo or secret-looking query values."""
    resolve = resolver or system_resolver
    connect = connector or system_connector
    shown = redact_url(url)
    with _Deadline(settings.URL_FETCH_TIMEOUT) as deadline:
        current = url
        try:
            for hop_no in range(settings.URL_MAX_REDIRECTS + 1):
                try:
                    current = validate_url(current, settings)
                except AdclfError as err:
                    prefix = "redirect refused: " if hop_no else ""
                    raise FetchError(f"{prefix}{err}") from err
                hop = _parse_hop(current)
                addresses = _checked_addresses(hop, settings, resolve, deadline)
                conn = _connect(hop, addresses, connect, ssl_context, deadline)
                try:
                    resp = _request(conn, hop)
                    if resp.status in _REDIRECTS:
                        location = resp.getheader("Location")
                        if not location:
                            raise FetchError(f"HTTP {resp.status} redirect without a Location")
                        current = urljoin(current, location.strip())
                        continue
                    if not 200 <= resp.status < 300:
                        raise FetchError(
                            f"the server answered HTTP {resp.status} {resp.reason}"[:200]
                        )
                    return _stream_body(
                        resp, dest_dir, settings.max_upload_bytes, deadline, conn.sock
                    )
                finally:
                    deadline.watch(None)
                    conn.close()
            raise FetchError(
                f"too many redirects (more than {settings.URL_MAX_REDIRECTS}) from {shown}"
            )
        except FetchError:
            if deadline.expired:
                raise FetchError(
                    f"the download took longer than {settings.URL_FETCH_TIMEOUT:g} s: {shown}"
                ) from None
            raise
        except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as err:
            if deadline.expired:
                raise FetchError(
                    f"the download took longer than {settings.URL_FETCH_TIMEOUT:g} s: {shown}"
                ) from None
            raise FetchError(f"could not fetch {shown}: {_reason(err)}") from None
