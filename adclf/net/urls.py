"""Submit-time URL policy: syntax, scheme, host allow/deny lists and literal IP hosts.

No network here (no DNS): this runs in the API request. `adclf.net.fetch.download` repeats it
and then checks the addresses the host really resolves to.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

from adclf.config import Settings
from adclf.errors import BadInput, Forbidden
from adclf.net.addresses import IPAddress, ends_in_number, is_public, parse_ipv4_lenient
from adclf.security.redact import redact_url

MAX_URL_LENGTH = 2048
ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Hostnames that always mean "this machine" or a cloud metadata service, whatever DNS says.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_METADATA_NAMES = ("metadata.google.internal", "metadata", "instance-data")

_HOST_CHARS = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*$")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def normalize_host(host: str) -> str:
    """Lower-case, IDNA (punycode) encoded, without a trailing dot. Raises BadInput."""
    host = host.strip().rstrip(".").lower()
    if not host:
        raise BadInput("the URL has no host")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError as err:
        raise BadInput("the URL's host name is not a valid domain name") from err
    if not _HOST_CHARS.match(ascii_host) or len(ascii_host) > 253:
        raise BadInput("the URL's host name is not a valid domain name")
    return ascii_host


def literal_ip(host: str) -> IPAddress | None:
    """The IP address a (bracket-free, normalised) host literally names, in any numeric form."""
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as err:
            raise BadInput("the URL's IPv6 host is not valid") from err
    if ends_in_number(host):
        ip = parse_ipv4_lenient(host)
        if ip is None:
            raise BadInput("the URL's host looks numeric but is not a valid IPv4 address")
        return ip
    return None


def _entry_matches(host: str, ip: IPAddress | None, entry: str) -> bool:
    entry = entry.strip().lower().rstrip(".")
    if entry.startswith("*."):
        entry = entry[2:]
    entry = entry.lstrip(".")
    if not entry:
        return False
    if ip is not None:
        try:
            return ip in ipaddress.ip_network(entry.strip("[]"), strict=False)
        except ValueError:
            return False
    try:
        entry = entry.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return host == entry or host.endswith("." + entry)


def host_policy_check(host: str, ip: IPAddress | None, settings: Settings, shown: str) -> None:
    """Allow/deny lists (deny wins) and the refusal of non-public literal addresses."""
    if any(_entry_matches(host, ip, e) for e in settings.URL_HOST_DENYLIST):
        raise Forbidden(f"the URL's host is on the deny list: {shown}")
    if settings.URL_HOST_ALLOWLIST and not any(
        _entry_matches(host, ip, e) for e in settings.URL_HOST_ALLOWLIST
    ):
        raise Forbidden(f"the URL's host is not on the allow list: {shown}")
    if settings.URL_ALLOW_PRIVATE:
        return
    if ip is not None and not is_public(ip):
        raise Forbidden(
            f"the URL points to a non-public address ({ip}); set URL_ALLOW_PRIVATE=true to "
            f"allow it: {shown}"
        )
    if host in _LOCAL_NAMES or host.endswith(".localhost") or host in _METADATA_NAMES:
        raise Forbidden(f"the URL points to this machine or a metadata service: {shown}")


def validate_url(url: str, settings: Settings) -> str:
    """Check a submitted URL against the policy without touching the network and return it
    normalised (lower-case scheme and host, IDNA host, default port and fragment dropped).
    Userinfo is kept because the fetcher needs it; show users `redact_url(...)` instead.

    Raises BadInput (400) for malformed URLs and Forbidden (403) for policy refusals."""
    if not isinstance(url, str):
        raise BadInput("the URL must be a string")
    url = url.strip()
    if not url:
        raise BadInput("the URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise BadInput(f"the URL is longer than {MAX_URL_LENGTH} characters")
    shown = redact_url(url)
    if _FORBIDDEN_CHARS.search(url):
        raise BadInput(f"the URL contains spaces, control characters or backslashes: {shown}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise BadInput(f"the URL is malformed: {shown}") from err
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise BadInput(f"only http and https URLs are accepted: {shown}")
    raw_host = parts.hostname
    if not raw_host or not parts.netloc:
        raise BadInput(f"the URL has no host: {shown}")
    if "%" in raw_host:
        # percent-encoded hosts and IPv6 zone ids are read differently by different parsers
        raise BadInput(f"the URL's host must not contain '%': {shown}")
    bracketed = "[" in parts.netloc.rsplit("@", 1)[-1]
    host = raw_host.lower() if bracketed else normalize_host(raw_host)
    ip = literal_ip(host)
    if bracketed and not isinstance(ip, ipaddress.IPv6Address):
        raise BadInput(f"only IPv6 addresses may be written in brackets: {shown}")
    if port == 0:
        raise BadInput(f"the URL's port is not valid: {shown}")
    host_policy_check(host, ip, settings, shown)

    netloc_host = (
        f"[{ip.compressed}]"
        if isinstance(ip, ipaddress.IPv6Address)
        else (str(ip) if ip is not None else host)
    )
    netloc = netloc_host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.username
        if parts.password is not None:
            userinfo += ":" + parts.password
        netloc = f"{userinfo}@{netloc}"
    # Non-ASCII in path/query is percent-encoded (existing escapes kept) so the request line
    # is plain ASCII, as HTTP requires.
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_PATH_SAFE + "?")
    return urlunsplit((scheme, netloc, path, query, ""))
