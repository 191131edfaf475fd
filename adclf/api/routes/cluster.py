"""/cluster and /admin: every node's state and jobs, maintenance, cleanup."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from adclf.api.deps import Authenticated, ServicesDep
from adclf.api.routes.jobs import StatusFilter, status_list
from adclf.api.schemas import ErrorView, JobsPage, MaintenanceRequest, NodeView
from adclf.services import cluster, views

router = APIRouter(tags=["cluster"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView},
                              503: {"model": ErrorView}})


@router.get("/cluster/nodes", response_model=list[NodeView])
async def list_nodes(services: ServicesDep) -> list[dict[str, Any]]:
    """Every adclf node as Ray sees it (alive/dead, resources) with its queue and workers."""
    return await cluster.node_views(services.jobs)


@router.post("/cluster/nodes/{node}/maintenance", response_model=NodeView)
async def set_maintenance(node: str, body: MaintenanceRequest, services: ServicesDep
                          ) -> dict[str, Any]:
    """A node in maintenance finishes its jobs but takes no new ones (survives restarts)."""
    await services.jobs.store(node).set_maintenance(body.enabled)
    return next(v for v in await cluster.node_views(services.jobs) if v["node"] == node)


@router.get("/cluster/jobs", response_model=JobsPage)
async def cluster_jobs(
    services: ServicesDep,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """All nodes' jobs merged newest first; dead nodes are listed in `unavailable_nodes`."""
    page = await services.jobs.list_cluster(status_list(status), q, limit, offset)
    return {"jobs": [views.job_view(r) for r in page["jobs"]], "total": page["total"],
            "limit": limit, "offset": offset, "unavailable_nodes": page["unavailable_nodes"]}


@router.get("/cluster/analytics")
async def cluster_analytics(services: ServicesDep) -> dict[str, Any]:
    """Counts, durations (p50/p95), top brands/categories/industries, failures, jobs per hour."""
    return await cluster.analytics(services.jobs)


@router.get("/admin/jobs", response_model=JobsPage)
async def admin_jobs(
    services: ServicesDep,
    node: Annotated[str | None, Query(description="adclf node name; default: this node")] = None,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """One node's jobs, newest first."""
    page = await services.jobs.list_node(node or services.local_node, status_list(status), q,
                                         limit, offset)
    return {"jobs": [views.job_view(r) for r in page["jobs"]], "total": page["total"],
            "limit": limit, "offset": offset, "unavailable_nodes": []}


@router.post("/admin/cleanup")
async def admin_cleanup(services: ServicesDep) -> list[dict[str, Any]]:
    """Run the TTL cleanup once on every live node and report what was removed."""
    return [await services.jobs.store(n.name).cleanup()
            for n in services.registry.nodes() if n.alive]
