"""One hop's connection, pinned to addresses checked once: resolve the host a single time, refuse
unless every answer is public (unless URL_ALLOW_PRIVATE), then connect to exactly one of those
addresses. The name is never resolved again, so DNS rebinding cannot swap the target; the Host
header, TLS SNI and certificate check still use the original name."""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from adclf.config import Settings
from adclf.errors import FetchError
from adclf.net.addresses import IPAddress, is_public
from adclf.net.deadline import Deadline

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> IP address strings. Tests inject one to simulate DNS answers."""

Connector = Callable[[str, int, float], socket.socket]
"""(checked ip, port, timeout) -> connected socket. Tests inject one to observe the pin."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def system_connector(ip: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((ip, port), timeout=timeout)


@dataclass
class Hop:
    url: str
    scheme: str
    host: str  # normalised; IPv6 without brackets
    port: int
    target: str  # path + query
    host_header: str
    authorization: str | None


def parse_hop(url: str) -> Hop:
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
    return Hop(url, scheme, host, port, target, host_header, auth)


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


def checked_addresses(
    hop: Hop, settings: Settings, resolver: Resolver, deadline: Deadline
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


def connect(
    hop: Hop,
    addresses: list[str],
    connector: Connector,
    tls: ssl.SSLContext | None,
    deadline: Deadline,
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
                raise FetchError(f"TLS with {hop.host} failed: {reason(err)}") from err
            deadline.watch(sock)
        conn = http.client.HTTPConnection(hop.host, hop.port, timeout=deadline.remaining())
        conn.sock = sock  # pre-connected: http.client will not resolve or connect again
        return conn
    why = reason(last) if last else "no address"
    raise FetchError(f"could not connect to {hop.host}: {why}")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def reason(err: BaseException) -> str:
    """An exception as a short message (its text, else its type)."""
    text = str(err) or type(err).__name__
    return text[:200]
