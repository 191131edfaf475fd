"""`adclf mcp`: the MCP server on stdin/stdout, talking to the adclf service the CLI points at.
stdout carries the protocol only: nothing else may print there."""

from __future__ import annotations

import anyio

from adclf.mcp.api import ApiTarget
from adclf.mcp.server import build_server
from adclf.mcp.target import fixed


def serve_stdio(server_url: str, token: str | None) -> None:
    server = build_server(fixed(ApiTarget(server_url, token)))
    anyio.run(server.run_stdio_async)
