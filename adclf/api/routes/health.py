"""/health (no token), /metrics (JSON or Prometheus text), /diagnostics/device."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from adclf.api.deps import Authenticated, ServicesDep
from adclf.api.schemas import HealthView, MetricsView
from adclf.cluster.diagnostics import device_refs
from adclf.services import cluster

public = APIRouter(tags=["health"])
router = APIRouter(tags=["health"], dependencies=Authenticated)


@public.get("/health", response_model=HealthView, responses={503: {"model": HealthView}})
async def health(services: ServicesDep) -> Response:
    """Liveness of this ingress and its node's job store (DuckDB)."""
    alive = [n for n in services.registry.nodes() if n.alive]
    try:
        await services.jobs.store(services.local_node).ping(timeout=5.0)
        db, status, code = "ok", "ok", 200
    except Exception as exc:  # noqa: BLE001
        db, status, code = f"unavailable: {exc}", "degraded", 503
    return JSONResponse({"status": status, "node": services.local_node, "db": db,
                         "nodes_alive": len(alive)}, status_code=code)


@router.get("/metrics", response_model=MetricsView,
            responses={200: {"content": {"text/plain": {}}}})
async def metrics(
    services: ServicesDep,
    format: Annotated[Literal["json", "prometheus"] | None, Query()] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Job counters (all live nodes). JSON by default; Prometheus text with
    `?format=prometheus` or `Accept: text/plain`."""
    m = await cluster.metrics(services.jobs, services.local_node,
                              time.time() - services.started_at)
    wants_text = format == "prometheus" or (
        format is None and accept is not None and "text/plain" in accept
        and "application/json" not in accept)
    if wants_text:
        return PlainTextResponse(cluster.prometheus(m), media_type="text/plain; version=0.0.4")
    return JSONResponse(m)


@router.get("/diagnostics/device")
async def diagnostics_device(services: ServicesDep) -> dict[str, Any]:
    """Per node: CPU count, torch/CUDA availability, GPUs, ONNX Runtime providers."""
    refs = device_refs(services.registry.nodes())
    out: dict[str, Any] = {}
    for name, ref in refs.items():
        try:
            out[name] = await asyncio.wait_for(ref, timeout=60)
        except Exception as exc:  # noqa: BLE001
            out[name] = {"error": f"probe failed: {exc}"}
    for node in services.registry.nodes():
        if not node.alive:
            out[node.name] = {"error": "node is dead in Ray"}
    return {"nodes": out}
