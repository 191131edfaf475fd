"""Model server failures as the providers report them: `Transient` marks one worth retrying, and
`connect_detail` says in a few words why a connection failed. The providers name the server with
`adclf.security.redact.redact_url`, so credentials and secret query values never reach a message."""

from __future__ import annotations


class Transient(Exception):
    """A failure worth retrying (server busy/down for a moment, 5xx, timeout)."""


def connect_detail(err: BaseException) -> str:
    """Why a connection failed, from the exception chain (clients wrap the socket error)."""
    seen: set[int] = set()
    cur: BaseException | None = err
    texts: list[str] = []
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        texts.append(str(cur))
        cur = cur.__cause__ or cur.__context__
    joined = " ".join(texts).lower()
    if "refused" in joined:
        return "connection refused"
    if "name or service not known" in joined or "nodename nor servname" in joined or (
        "name resolution" in joined
    ):
        return "host name not found"
    if "timed out" in joined or "timeout" in joined:
        return "connection timed out"
    if "unreachable" in joined:
        return "network unreachable"
    return texts[-1] if texts and texts[-1] else "connection failed"
