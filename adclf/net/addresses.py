"""Which IP addresses an outbound fetch may connect to, and lenient parsing of literal IP hosts.

Python's `ipaddress` flags alone are not enough: IPv4 multicast counts as "global" on 3.11, and
IPv6 forms that embed an IPv4 address (mapped, compatible, 6to4, NAT64, Teredo) inherit nothing
from the embedded address. We unwrap those and refuse anything that is not plainly public.
"""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges refused on top of the `ipaddress` flags (belt and braces across Python versions).
_EXTRA_BLOCKED: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),
    ipaddress.ip_network("224.0.0.0/4"),
    ipaddress.ip_network("240.0.0.0/4"),
    ipaddress.ip_network("::/96"),  # IPv4-compatible (deprecated) and ::, ::1
    ipaddress.ip_network("64:ff9b:1::/48"),  # local-use NAT64
    ipaddress.ip_network("100::/64"),  # discard-only
    ipaddress.ip_network("2001:db8::/32"),
    ipaddress.ip_network("fc00::/7"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fec0::/10"),
    ipaddress.ip_network("ff00::/8"),
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """True only for a unicast, globally routable address (and, for IPv6, its embedded IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        inner = embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
    flags = (
        ip.is_private,
        ip.is_loopback,
        ip.is_link_local,
        ip.is_multicast,
        ip.is_reserved,
        ip.is_unspecified,
        isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local,
    )
    if any(flags) or not ip.is_global:
        return False
    return not any(ip in net for net in _EXTRA_BLOCKED if net.version == ip.version)


_V4_PART = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


def _parse_v4_part(part: str) -> int | None:
    if not _V4_PART.match(part):
        return None
    low = part.lower()
    if low.startswith("0x"):
        return int(low[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        if any(c in "89" for c in part):
            return None
        return int(part, 8)
    return int(part, 10)


def ends_in_number(host: str) -> bool:
    """WHATWG URL rule: a host whose last label is numeric must be an IPv4 address (or invalid),
    which is how browsers and curl treat `127.1`, `0x7f.1` or `2130706433`."""
    labels = host.rstrip(".").split(".")
    last = labels[-1] if labels else ""
    return bool(last) and _V4_PART.match(last) is not None


def parse_ipv4_lenient(host: str) -> ipaddress.IPv4Address | None:
    """Parse IPv4 in every form inet_aton accepts: 1-4 parts, decimal/octal/hex per part,
    the last part filling the remaining bytes. None when `host` is not such a number."""
    parts = host.rstrip(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        value = _parse_v4_part(part)
        if value is None:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for v in head:
        number = number * 256 + v
    number = number * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(number)
