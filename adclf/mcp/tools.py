"""The MCP tools: submit, follow and read jobs, list recent ones, taxonomy candidates, the
cluster's nodes, device diagnostics and model lists. Each one is a REST call (see api.py)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from pydantic import Field

from adclf.domain import FINAL_STATUSES
from adclf.mcp.target import Resolver, api

SettingsArg = Annotated[dict[str, Any] | None, Field(
    description="Job settings as the REST API takes them (e.g. {\"provider\": \"embedded\", "
    "\"scan_mode\": \"Full Video\", \"categories\": \"Cars, Retail\"}); unknown keys are "
    "refused.")]
Mode = Annotated[Literal["pipeline", "agent"], Field(
    description="pipeline (default) or agent (needs an LLM provider)")]
JobId = Annotated[str, Field(description="a job id, e.g. node-a-<uuid>", max_length=200)]
MAX_WAIT = 600.0
POLL = 1.0


def register(server: MCPServer[Any], resolve: Resolver) -> None:
    @server.tool()
    async def submit_file(path: Annotated[str, Field(description=(
                              "a video file path on the adclf server, inside its "
                              "ALLOWED_FOLDER_ROOTS"))],
                          settings: SettingsArg = None, mode: Mode = "pipeline") -> dict[str, Any]:
        """Classify a video file that is on the adclf server; answers {job_id, status}."""
        return dict(await api(resolve).post("/jobs/by-filepath", {
            "file_path": path, "mode": mode, "settings": settings or {}}))

    @server.tool()
    async def submit_url(url: Annotated[str, Field(description="an http(s) URL of a video")],
                         settings: SettingsArg = None, mode: Mode = "pipeline") -> dict[str, Any]:
        """Classify a video the adclf service downloads from a URL; answers {job_id, status}."""
        jobs = await api(resolve).post("/jobs/by-urls", {
            "urls": [url], "mode": mode, "settings": settings or {}})
        return dict(jobs[0]) if isinstance(jobs, list) and jobs else {"jobs": jobs}

    @server.tool()
    async def job_status(job_id: JobId,
                         wait_seconds: Annotated[float, Field(
                             ge=0, le=MAX_WAIT, description=(
                                 "wait up to this long for the job to finish (0: answer now)"))
                         ] = 0) -> dict[str, Any]:
        """A job's status, stage, progress and error; optionally waits until it is completed
        or failed."""
        rest = api(resolve)
        deadline = time.monotonic() + wait_seconds
        while True:
            job = dict(await rest.get(f"/jobs/{job_id}"))
            if job.get("status") in FINAL_STATUSES or time.monotonic() >= deadline:
                return job
            await asyncio.sleep(POLL)

    for part, what in (("result", "the verdict: brand, category (IAB id, name, path), "
                                  "confidence and reasoning"),
                       ("artifacts", "the evidence files: frames, OCR text, logo and "
                                     "category-mapper details"),
                       ("events", "the job's timeline of stages"),
                       ("explanation", "how the answer was reached: attempts, evidence, "
                                       "substitutions, provider")):
        _job_part(server, resolve, part, what)

    @server.tool()
    async def recent_jobs(limit: Annotated[int, Field(ge=1, le=200)] = 20,
                          status: Annotated[str | None, Field(description=(
                              "queued, processing, completed or failed"))] = None,
                          query: Annotated[str | None, Field(description=(
                              "text to look for in ids, file names, URLs, brands"))] = None
                          ) -> dict[str, Any]:
        """The newest jobs of every node, newest first, and how many match in total."""
        got = await api(resolve).call("GET", "/cluster/jobs", params={
            "limit": limit, "status": status, "q": query})
        return {"jobs": got.body, "total": _int(got.headers.get("X-Total-Count")),
                "unavailable_nodes": got.headers.get("X-Unavailable-Nodes")}

    @server.tool()
    async def taxonomy_candidates(phrase: Annotated[str, Field(min_length=1, max_length=200)],
                                  top: Annotated[int, Field(ge=1, le=25)] = 5
                                  ) -> dict[str, Any]:
        """Taxonomy (IAB Ad Product) categories near a phrase, best first, with how each
        matched (exact, alias, embedding)."""
        return dict(await api(resolve).get("/api/taxonomy/search", q=phrase, top=top))

    @server.tool()
    async def cluster_nodes() -> dict[str, Any]:
        """Every adclf node: alive, accepting new jobs, maintenance, queue and workers."""
        return dict(await api(resolve).get("/cluster/nodes"))

    @server.tool()
    async def device_diagnostics() -> dict[str, Any]:
        """Per node: CPUs, torch/CUDA, GPUs and ONNX Runtime providers."""
        return dict(await api(resolve).get("/diagnostics/device"))

    @server.tool()
    async def list_models(provider: Annotated[str, Field(description=(
                              "ollama, or llama-server / lm studio / openai"))] = "ollama"
                          ) -> dict[str, Any]:
        """The models a provider's server offers; empty with the reason when it is not
        reachable."""
        got = await api(resolve).call("GET", "/api/v1/models",
                                           params={"provider": provider})
        return {"provider": provider, "models": got.body,
                "unavailable_reason": got.headers.get("X-Unavailable-Reason")}


def _job_part(server: MCPServer[Any], resolve: Resolver, part: str, what: str) -> None:
    async def read(job_id: JobId) -> dict[str, Any]:
        body = await api(resolve).get(f"/jobs/{job_id}/{part}")
        return body if isinstance(body, dict) else {part: body}

    server.add_tool(read, name=f"job_{part}", description=f"A job's {part}: {what}.")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
