"""The one way the pipeline fetches a URL: SSRF-checked, address-pinned, bounded in time and size.

Every hop (the first request and each redirect):
1. `validate_url` again (scheme, allow/deny lists, literal IPs);
2. resolve the host ONCE and refuse if any answer is not public (unless URL_ALLOW_PRIVATE);
3. connect to one of exactly those checked addresses (`adclf.net.pinning`: the name is never
   resolved again, so DNS rebinding cannot swap the target), sending the original Host header and
   TLS SNI/certificate check for the original name.
A watchdog (`adclf.net.deadline`) closes the socket when URL_FETCH_TIMEOUT runs out, which bounds
the whole download (DNS, connect, slow-drip headers and body) rather than each read. The body goes
through the bounded intake (`adclf.net.intake`): size limit, video sniffing, no partial file left.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from adclf.config import Settings
from adclf.errors import AdclfError, FetchError
from adclf.net.deadline import Deadline
from adclf.net.intake import DOWNLOAD, Intake
from adclf.net.pinning import (
    Connector,
    Hop,
    Resolver,
    checked_addresses,
    connect,
    parse_hop,
    reason,
    system_connector,
    system_resolver,
)
from adclf.net.urls import validate_url
from adclf.security.redact import redact_url

_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
_USER_AGENT = "adclf/0.1 (video ad classifier)"


def _request(conn: http.client.HTTPConnection, hop: Hop) -> http.client.HTTPResponse:
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


def _save_body(
    resp: http.client.HTTPResponse,
    dest_dir: Path,
    max_bytes: int,
    deadline: Deadline,
    sock: socket.socket | None,
) -> Path:
    header = (resp.getheader("Content-Length") or "").strip()
    declared = int(header) if header.isdigit() else None
    intake = Intake(dest_dir, max_bytes, DOWNLOAD, declared_length=declared,
                    content_type=resp.getheader("Content-Type"))
    return intake.take(_body_chunks(resp, deadline, sock, declared))


def _body_chunks(
    resp: http.client.HTTPResponse,
    deadline: Deadline,
    sock: socket.socket | None,
    declared: int | None,
) -> Iterator[bytes]:
    total = 0
    while True:
        if sock is not None:
            sock.settimeout(deadline.remaining())
        chunk = resp.read1(_CHUNK)
        deadline.remaining()
        if not chunk:
            break
        total += len(chunk)
        yield chunk
    # read1() reports an early close as a plain end of body
    if declared is not None and total < declared and not resp.chunked:
        raise FetchError(f"the connection closed after {total} of {declared} bytes")


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
    dial = connector or system_connector
    shown = redact_url(url)
    with Deadline(settings.URL_FETCH_TIMEOUT) as deadline:
        current = url
        try:
            for hop_no in range(settings.URL_MAX_REDIRECTS + 1):
                try:
                    current = validate_url(current, settings)
                except AdclfError as err:
                    prefix = "redirect refused: " if hop_no else ""
                    raise FetchError(f"{prefix}{err}") from err
                hop = parse_hop(current)
                addresses = checked_addresses(hop, settings, resolve, deadline)
                conn = connect(hop, addresses, dial, ssl_context, deadline)
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
                    return _save_body(
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
            raise FetchError(f"could not fetch {shown}: {reason(err)}") from None
