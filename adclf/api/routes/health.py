"""/health (no token), /metrics (JSON or Prometheus text), /diagnostics/* and the original's
/api/system/profile."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from adclf.api.deps import Authenticated, CatalogueDep, NodesDep, SystemDep
from adclf.api.schemas import HealthView, MetricsView

public = APIRouter(tags=["health"])
router = APIRouter(tags=["health"], dependencies=Authenticated)


@public.get("/health", response_model=HealthView, responses={503: {"model": HealthView}})
async def health(nodes: NodesDep) -> Response:
    """Liveness of this ingress and its node's job store (DuckDB)."""
    answer = await nodes.health()
    return JSONResponse(answer, status_code=200 if answer["status"] == "ok" else 503)


@router.get("/metrics", response_model=MetricsView,
            responses={200: {"content": {"text/plain": {}}}})
async def metrics(
    nodes: NodesDep,
    format: Annotated[Literal["json", "prometheus"] | None, Query()] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Job counters (all live nodes). JSON by default; Prometheus text with
    `?format=prometheus` or `Accept: text/plain`."""
    m = await nodes.metrics()
    wants_text = format == "prometheus" or (
        format is None and accept is not None and "text/plain" in accept
        and "application/json" not in accept)
    if wants_text:
        return PlainTextResponse(prometheus(m), media_type="text/plain; version=0.0.4")
    return JSONResponse(m)


def prometheus(m: dict[str, Any]) -> str:
    """The metrics in the Prometheus text exposition format."""
    lines = []
    for key in ("jobs_queued", "jobs_processing", "jobs_completed", "jobs_failed",
                "jobs_submitted_this_process"):
        name = f"adclf_{key}"
        kind = "counter" if key == "jobs_submitted_this_process" else "gauge"
        lines += [f"# HELP {name} {key.replace('_', ' ')}", f"# TYPE {name} {kind}"]
        for node, s in sorted(m["nodes"].items()):
            lines.append(f'{name}{{node="{node}"}} {int(s[key])}')
    lines += ["# HELP adclf_uptime_seconds seconds since this ingress replica started",
              "# TYPE adclf_uptime_seconds gauge", f"adclf_uptime_seconds {m['uptime_seconds']}"]
    return "\n".join(lines) + "\n"


@router.get("/diagnostics/device")
async def diagnostics_device(nodes: NodesDep) -> dict[str, Any]:
    """Per node: CPU count, torch/CUDA availability, GPUs, ONNX Runtime providers."""
    return await nodes.diagnostics()


@router.get("/diagnostics/concurrency")
async def diagnostics_concurrency(system: SystemDep) -> dict[str, Any]:
    """Per node: configured and active workers, queued and running jobs."""
    return await system.concurrency()


@router.get("/diagnostics/watcher")
async def diagnostics_watcher(system: SystemDep) -> dict[str, Any]:
    """The original's folder watcher state: adclf has none (`enabled: false`, and why)."""
    return await system.watcher()


@router.get("/diagnostics/category")
async def diagnostics_category(catalogue: CatalogueDep) -> dict[str, Any]:
    """How categories are mapped: method, embedding model, taxonomy source and size."""
    return await catalogue.mapper_diagnostics()


@router.get("/diagnostics/categories")
async def diagnostics_categories(catalogue: CatalogueDep) -> dict[str, Any]:
    """The original's older name of /diagnostics/category."""
    return await catalogue.mapper_diagnostics()


@router.get("/api/system/profile")
async def system_profile(system: SystemDep) -> dict[str, Any]:
    """This host's CPU, memory and accelerator (the original's system profile)."""
    return await system.profile()
