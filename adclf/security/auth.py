"""API token checks. No tokens configured means authentication is disabled (the default for a
loopback-only server); callers that want to know use `auth_enabled`."""

from __future__ import annotations

import hmac


def auth_enabled(tokens: list[str]) -> bool:
    return any(tokens)


def _matches(candidate: str, tokens: list[str]) -> bool:
    given = candidate.encode("utf-8")
    ok = False
    # Compare against every token without stopping early, so timing does not reveal which
    # (or whether an earlier) token matched.
    for token in tokens:
        if not token:
            continue
        ok |= hmac.compare_digest(given, token.encode("utf-8"))
    return ok


def bearer_token(header_value: str | None) -> str | None:
    """The token of an `Authorization: Bearer <t>` header (a bare `<t>` is accepted too)."""
    if header_value is None:
        return None
    value = header_value.strip()
    scheme, _, rest = value.partition(" ")
    if rest and scheme.lower() == "bearer":
        value = rest.strip()
    elif rest:
        return None  # another scheme (Basic, Digest...) is not a token
    return value or None


def token_ok(header_value: str | None, tokens: list[str]) -> bool:
    """Whether an Authorization header value carries one of `tokens`.
    True when no tokens are configured (authentication disabled)."""
    if not auth_enabled(tokens):
        return True
    token = bearer_token(header_value)
    return token is not None and _matches(token, tokens)


def query_token_ok(query_value: str | None, tokens: list[str]) -> bool:
    """Token passed as `?token=` — only for the SSE stream route, because a browser EventSource
    cannot set headers. True when no tokens are configured."""
    if not auth_enabled(tokens):
        return True
    if not query_value:
        return False
    return _matches(query_value.strip(), tokens)
