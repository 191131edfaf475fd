"""Remove secrets from URLs and settings before they reach logs, errors or API responses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "***"

# Substrings that mark a key (settings field, query parameter) as secret-bearing.
_SECRET_KEY = re.compile(
    r"(api[_-]?key|apikey|token|secret|passw(or)?d|passwd|pwd|authorization|auth|credential|"
    r"signature|sig|session|cookie|private[_-]?key|access[_-]?key|x-amz-)",
    re.IGNORECASE,
)


def looks_secret(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def redact_url(url: str) -> str:
    """The URL without userinfo and with the values of secret-looking query parameters masked.
    Never raises: an unparsable URL yields a placeholder rather than the raw text."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    if parts.username is not None or parts.password is not None:
        netloc = f"{REDACTED}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED if looks_secret(k) else v) for k, v in pairs], safe="*")
    # The fragment is never sent to a server and may hold tokens (OAuth implicit flow).
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def redact_settings(d: dict[str, Any]) -> dict[str, Any]:
    """A copy of a settings mapping without secret-looking keys; URL-valued strings lose
    their userinfo so `OPENAI_BASE_URL=http://user:pw@host` does not leak either."""
    out: dict[str, Any] = {}
    for key, value in d.items():
        if looks_secret(str(key)):
            continue
        if isinstance(value, dict):
            out[key] = redact_settings(value)
        elif isinstance(value, str) and "://" in value:
            out[key] = redact_url(value)
        else:
            out[key] = value
    return out
