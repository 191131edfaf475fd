"""One callback attempt: a signed POST over a connection pinned to checked addresses.

The URL goes through the same checks as a URL job's download at every attempt (adclf.net:
validate_url, then resolve once, refuse non-public answers unless URL_ALLOW_PRIVATE, connect to
exactly those addresses), so a name that resolved to a public address at submit time cannot be
rebound to an internal one later. Redirects are not followed: a 3xx is a failed attempt, as any
non-2xx answer is. Blocking (http.client): the deliverer runs it in a thread."""

from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass

from adclf.config import Settings
from adclf.errors import AdclfError
from adclf.net.deadline import Deadline
from adclf.net.pinning import (
    Connector,
    Resolver,
    checked_addresses,
    connect,
    parse_hop,
    reason,
    system_connector,
    system_resolver,
)
from adclf.net.urls import validate_url
from adclf.webhooks.signing import HEADER, signature_header

USER_AGENT = "adclf-webhooks/1"
# A receiver's answer is only read for its status line and a short reason.
MAX_ANSWER = 4096


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str  # "HTTP 200", "HTTP 503 <reason>", or why no answer came
    status: int | None = None


def post(url: str, body: bytes, secret: str, settings: Settings, headers: dict[str, str],
         *, timeout: float | None = None, resolver: Resolver = system_resolver,
         connector: Connector = system_connector, tls: ssl.SSLContext | None = None) -> Outcome:
    """POST `body` (JSON) to `url`, signed with `secret`. Never raises for network trouble."""
    seconds = timeout if timeout is not None else settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        hop = parse_hop(validate_url(url, settings))
        with Deadline(seconds) as deadline:
            addresses = checked_addresses(hop, settings, resolver, deadline)
            conn = connect(hop, addresses, connector, tls, deadline)
            try:
                conn.putrequest("POST", hop.target, skip_host=True, skip_accept_encoding=True)
                conn.putheader("Host", hop.host_header)
                conn.putheader("User-Agent", USER_AGENT)
                conn.putheader("Content-Type", "application/json")
                conn.putheader("Content-Length", str(len(body)))
                conn.putheader("Connection", "close")
                if hop.authorization:
                    conn.putheader("Authorization", hop.authorization)
                for key, value in headers.items():
                    conn.putheader(key, value)
                conn.putheader(HEADER, signature_header(secret, body))
                conn.endheaders(body)
                resp = conn.getresponse()
                answer = resp.read(MAX_ANSWER)
            finally:
                conn.close()
    except AdclfError as exc:  # refused by policy, DNS, connect, TLS, time budget
        return Outcome(False, str(exc))
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(False, f"no answer: {reason(exc)}")
    detail = f"HTTP {resp.status}"
    if not 200 <= resp.status < 300:
        text = answer.decode("utf-8", "replace").strip().splitlines()
        if text:
            detail += f" {text[0][:120]}"
        return Outcome(False, detail, resp.status)
    return Outcome(True, detail, resp.status)
