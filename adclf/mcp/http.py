"""`/mcp`: the MCP server over streamable HTTP inside the Serve app.

Stateless and JSON-answering: each POST is a whole exchange, so any ingress replica can answer
any request (sessions kept in one replica's memory would break behind several). The API token
is checked here, as for every REST route; tools then call the REST API of this same service,
through the address the request arrived on (the socket's, never the Host header, which the
client chooses), with the caller's own token."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from adclf.mcp.api import ApiTarget
from adclf.mcp.server import build_server
from adclf.mcp.target import done, from_request, serving
from adclf.security.auth import bearer_token, token_ok

# Returns the configured tokens, or None while the replica's settings are not set yet.
Tokens = Callable[[], list[str] | None]


class McpEndpoint:
    """An ASGI app for the `/mcp` route."""

    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        # Built on the first request, in the replica: Serve pickles the app to ship it, and the
        # SDK's server holds keys that cannot be pickled.
        self._running: asyncio.Future[StreamableHTTPSessionManager] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tokens = self.tokens()
        if tokens is None:
            await _json(send, 503, {"detail": "adclf is starting; try again"})
            return
        header = Headers(scope=scope).get("authorization")
        if not token_ok(header, tokens):
            await _json(send, 401, {"detail": "missing or invalid API token"},
                        {"WWW-Authenticate": "Bearer"})
            return
        manager = await self._started()
        token = serving(ApiTarget(base_url(scope), bearer_token(header)))
        try:
            await manager.handle_request(scope, receive, send)
        finally:
            done(token)

    async def _started(self) -> StreamableHTTPSessionManager:
        """The session manager's task group runs in a task of its own, started by the first
        request: Serve runs the ingress app's lifespan, but not those of routes inside it."""
        if self._running is None:
            ready: asyncio.Future[StreamableHTTPSessionManager] = (
                asyncio.get_running_loop().create_future())
            self._running = ready
            self._task = asyncio.create_task(self._run(ready))
        return await asyncio.shield(self._running)

    async def _run(self, ready: asyncio.Future[StreamableHTTPSessionManager]) -> None:
        try:
            server = build_server(from_request)
            # The Host/Origin check guards unauthenticated loopback servers against DNS
            # rebinding; here the API token guards /mcp as it guards the REST routes.
            server.streamable_http_app(
                stateless_http=True, json_response=True,
                transport_security=TransportSecuritySettings(
                    enable_dns_rebinding_protection=False))
            manager = server.session_manager
            async with manager.run():
                ready.set_result(manager)
                await asyncio.Event().wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            raise


def base_url(scope: Scope) -> str:
    """This service's own address as the request reached it, with the Serve route prefix."""
    host, port = scope.get("server") or ("127.0.0.1", 8000)
    if ":" in host:
        host = f"[{host}]"
    if host in ("0.0.0.0", "[::]"):
        host = "127.0.0.1"
    scheme = "https" if scope.get("scheme") == "https" else "http"
    return f"{scheme}://{host}:{port}{scope.get('root_path', '').rstrip('/')}"


async def _json(send: Send, status: int, body: dict[str, str],
                extra: dict[str, str] | None = None) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(data)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
