"""MCP resources: a job (`adclf://jobs/{id}`) and its parts (`…/result`, `…/artifacts`,
`…/events`, `…/explanation`), and the cluster's nodes (`adclf://cluster/nodes`), as JSON."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

from adclf.mcp.api import ApiFailure
from adclf.mcp.target import Resolver, api

JSON = "application/json"
PARTS = {"result": "the verdict (brand, category, confidence, reasoning)",
         "artifacts": "evidence files (frames, OCR text, category mapper)",
         "events": "the timeline of stages",
         "explanation": "how the answer was reached"}


def register(server: MCPServer[Any], resolve: Resolver) -> None:
    async def read(path: str) -> str:
        try:
            body = await api(resolve).get(path)
        except ApiFailure as exc:
            if exc.status == 404:
                raise ResourceNotFoundError(str(exc)) from None
            raise ResourceError(str(exc)) from None
        return json.dumps(body, ensure_ascii=False, indent=1)

    @server.resource("adclf://cluster/nodes", name="cluster-nodes", mime_type=JSON,
                     description="Every adclf node: alive, accepting, maintenance, queue.")
    async def nodes() -> str:
        return await read("/cluster/nodes")

    @server.resource("adclf://jobs/{job_id}", name="job", mime_type=JSON,
                     description="A job: status, stage, progress, source, error.")
    async def job(job_id: str) -> str:
        return await read(f"/jobs/{job_id}")

    for part, what in PARTS.items():
        _part(server, read, part, what)


def _part(server: MCPServer[Any], read: Callable[[str], Awaitable[str]], part: str,
          what: str) -> None:
    async def fn(job_id: str) -> str:
        return await read(f"/jobs/{job_id}/{part}")

    server.resource(f"adclf://jobs/{{job_id}}/{part}", name=f"job-{part}", mime_type=JSON,
                    description=f"A job's {part}: {what}.")(fn)
