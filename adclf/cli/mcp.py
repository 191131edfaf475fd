"""`adclf mcp`: serve the MCP server on stdio for an agent, against the service the CLI points
at (--server/ADCLF_SERVER, --token/ADCLF_TOKEN)."""

from __future__ import annotations

import typer

from adclf.cli.client import normalize_server
from adclf.cli.context import conn
from adclf.cli.options import ServerOpt, TokenOpt


def mcp(ctx: typer.Context, server: ServerOpt = None, token: TokenOpt = None) -> None:
    """Serve adclf to an agent over MCP on stdin/stdout (tools, resources, prompts).

    Each tool calls this CLI's adclf service with its token. See README "Agents (MCP)"."""
    from adclf.mcp.stdio import serve_stdio

    c = conn(ctx, server, token)
    serve_stdio(normalize_server(c.server), c.token)
