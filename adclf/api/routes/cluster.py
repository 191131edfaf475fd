"""/cluster and /admin: every node's state and jobs, maintenance, cleanup."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from adclf.api.deps import Authenticated, JobsDep, NodesDep
from adclf.api.routes.jobs import StatusFilter
from adclf.api.schemas import ErrorView, JobsPage, MaintenanceRequest, NodeView

router = APIRouter(tags=["cluster"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView},
                              503: {"model": ErrorView}})


@router.get("/cluster/nodes", response_model=list[NodeView])
async def list_nodes(nodes: NodesDep) -> list[dict[str, Any]]:
    """Every adclf node as Ray sees it (alive/dead, resources) with its queue and workers."""
    return await nodes.views()


@router.post("/cluster/nodes/{node}/maintenance", response_model=NodeView)
async def set_maintenance(node: str, body: MaintenanceRequest, nodes: NodesDep
                          ) -> dict[str, Any]:
    """A node in maintenance finishes its jobs but takes no new ones (survives restarts)."""
    return await nodes.set_maintenance(node, body.enabled)


@router.get("/cluster/jobs", response_model=JobsPage)
async def cluster_jobs(
    jobs: JobsDep,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """All nodes' jobs merged newest first; dead nodes are listed in `unavailable_nodes`."""
    return await jobs.list_cluster(status, q, limit, offset)


@router.get("/cluster/analytics")
async def cluster_analytics(nodes: NodesDep) -> dict[str, Any]:
    """Counts, durations (p50/p95), top brands/categories/industries, failures, jobs per hour."""
    return await nodes.analytics()


@router.get("/admin/jobs", response_model=JobsPage)
async def admin_jobs(
    jobs: JobsDep,
    node: Annotated[str | None, Query(description="adclf node name; default: this node")] = None,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """One node's jobs, newest first."""
    return await jobs.list_node(node, status, q, limit, offset)


@router.post("/admin/cleanup")
async def admin_cleanup(nodes: NodesDep) -> list[dict[str, Any]]:
    """Run the TTL cleanup once on every live node and report what was removed."""
    return await nodes.cleanup()
