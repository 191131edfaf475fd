"""The signature adclf puts on each callback, Stripe's scheme:

    X-Adclf-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>

The timestamp is inside the signed text, so a receiver that rejects old timestamps also rejects
a replayed request (see adclf.webhooks.verify)."""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Adclf-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={ts},{SCHEME}={signature(secret, ts, body)}"
