"""Checking adclf's webhook signature on the receiving side. Standard library only: copy this
file into a receiver that does not install adclf.

    from adclf.webhooks.verify import verify_signature

    if not verify_signature(SECRET, request.headers["X-Adclf-Signature"], raw_body):
        return 400  # not from adclf, altered, or replayed

Pass the body exactly as received (bytes), before any JSON parsing: re-serialising changes
it and the signature no longer matches."""

from __future__ import annotations

import hashlib
import hmac
import time

DEFAULT_TOLERANCE = 300


def parse_header(header: str) -> tuple[int | None, list[str]]:
    """The timestamp and the v1 signatures of an `X-Adclf-Signature` value (t=...,v1=...).
    Several v1 entries are allowed, as in Stripe's scheme; unknown keys are ignored."""
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                return None, []
        elif key == "v1":
            signatures.append(value.strip().lower())
    return timestamp, signatures


def verify_signature(secret: str, header: str | None, body: bytes | str,
                     tolerance: float = DEFAULT_TOLERANCE, now: float | None = None) -> bool:
    """Whether `header` is adclf's signature of `body` with `secret`, made at most `tolerance`
    seconds from now (either way: a receiver's clock may be behind). `tolerance=0` skips the
    time check (not recommended: it lets a captured request be replayed)."""
    if not secret or not header:
        return False
    timestamp, signatures = parse_header(header)
    if timestamp is None or not signatures:
        return False
    if tolerance > 0:
        current = time.time() if now is None else now
        if abs(current - timestamp) > tolerance:
            return False
    raw = body.encode("utf-8") if isinstance(body, str) else body
    expected = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + raw,
                        hashlib.sha256).hexdigest()
    ok = False
    for candidate in signatures:  # no early exit: timing says nothing about which matched
        ok |= hmac.compare_digest(expected, candidate)
    return ok
