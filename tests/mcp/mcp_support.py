"""Sessions of the MCP SDK's own client against the real service: streamable HTTP at /mcp and
stdio through the `adclf mcp` command (a subprocess)."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

# The names the README documents; a tool renamed or lost fails here.
TOOLS = {"submit_file", "submit_url", "job_status", "job_result", "job_artifacts",
         "job_events", "job_explanation", "recent_jobs", "taxonomy_candidates",
         "cluster_nodes", "device_diagnostics", "list_models"}
TEMPLATES = {f"adclf://jobs/{{job_id}}{part}"
             for part in ("", "/result", "/artifacts", "/events", "/explanation")}
PROMPTS = {"investigate_job", "compare_jobs"}


@asynccontextmanager
async def http_session(url: str, token: str | None = None) -> AsyncIterator[ClientSession]:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with create_mcp_http_client(headers=headers) as http, \
            streamable_http_client(url, http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        yield session


@asynccontextmanager
async def stdio_session(server: str, token: str | None = None) -> AsyncIterator[ClientSession]:
    env = {"ADCLF_SERVER": server, "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    if token:
        env["ADCLF_TOKEN"] = token
    params = StdioServerParameters(command=sys.executable, args=["-m", "adclf.cli", "mcp"],
                                   env=env)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def call(session: ClientSession, tool: str, **args: Any) -> Any:
    """A tool's JSON answer; fails the test with the tool's message when it reported an error."""
    result = await session.call_tool(tool, args)
    text = "".join(getattr(c, "text", "") for c in result.content)
    assert not result.is_error, f"{tool} failed: {text}"
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(text)


async def call_error(session: ClientSession, tool: str, **args: Any) -> str:
    result = await session.call_tool(tool, args)
    assert result.is_error, f"{tool} should have failed: {result}"
    return "".join(getattr(c, "text", "") for c in result.content)


async def read_json(session: ClientSession, uri: str) -> Any:
    got = await session.read_resource(uri)
    (content,) = got.contents
    assert content.mime_type == "application/json"
    return json.loads(getattr(content, "text", ""))
