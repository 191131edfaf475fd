"""The adclf MCP server: its tools, resources and prompts on one MCPServer. `resolve` says which
adclf service a call talks to, with which token (adclf.mcp.target)."""

from __future__ import annotations

import logging
from typing import Any

from mcp.server.mcpserver import MCPServer

from adclf import __version__
from adclf.mcp import prompts, resources, tools
from adclf.mcp.target import Resolver

INSTRUCTIONS = """adclf classifies video ads: brand and IAB Ad Product category, with confidence,
reasoning and evidence. Submit a video (submit_file for a path on the adclf server, submit_url
for a URL), wait with job_status(wait_seconds=…), then read job_result, job_explanation,
job_artifacts and job_events. taxonomy_candidates maps a phrase to categories."""


def build_server(resolve: Resolver) -> MCPServer[Any]:
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    server: MCPServer[Any] = MCPServer("adclf", title="adclf video ad classifier",
                                       instructions=INSTRUCTIONS, version=__version__,
                                       log_level="WARNING")
    # The SDK calls logging.basicConfig: inside the ingress that would pre-empt the replica's
    # own basicConfig(LOG_LEVEL). Python's last-resort handler still shows warnings on stderr.
    root.setLevel(before[0])
    root.handlers[:] = before[1]
    tools.register(server, resolve)
    resources.register(server, resolve)
    prompts.register(server)
    return server
