"""Which adclf service a tool call talks to, and with which token: fixed for stdio (the CLI's
settings), per request for /mcp (adclf.mcp.http sets it for the request being served)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from adclf.mcp.api import ApiFailure, ApiTarget, RestApi

Resolver = Callable[[], ApiTarget]

# Set by the /mcp endpoint around each request. The stateless transport serves a request in a
# task started from the request's own task, so the handlers see the value (the SDK's own
# auth middleware passes the authenticated user to tools the same way).
_request_target: ContextVar[ApiTarget | None] = ContextVar("adclf_mcp_target", default=None)


def fixed(target: ApiTarget) -> Resolver:
    return lambda: target


def from_request() -> ApiTarget:
    target = _request_target.get()
    if target is None:
        raise ApiFailure("this MCP request did not come through adclf's /mcp endpoint")
    return target


def serving(target: ApiTarget) -> object:
    """Make `target` the current request's; returns the token for `done`."""
    return _request_target.set(target)


def done(token: object) -> None:
    _request_target.reset(token)  # type: ignore[arg-type]


def api(resolve: Resolver) -> RestApi:
    return RestApi(resolve())
