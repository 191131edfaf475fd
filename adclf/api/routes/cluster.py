"""/cluster and /admin: every node's state and jobs, maintenance, cleanup, analytics.

Listings answer the original's bare arrays; pagination is in the query (`limit`, `offset`) and
the response headers (X-Total-Count, X-Limit, X-Offset, X-Unavailable-Nodes)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from adclf.api.deps import Authenticated, JobsDep, NodesDep
from adclf.api.routes.jobs import StatusFilter
from adclf.api.schemas import (
    ClusterNodesView,
    ErrorView,
    JobView,
    MaintenanceRequest,
    NodeView,
    ValidationErrorView,
)

router = APIRouter(tags=["cluster"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView}, 422: {"model": ValidationErrorView},
                              503: {"model": ErrorView}})

PAGE_HEADERS = {h: {"schema": {"type": "string"}, "description": d} for h, d in (
    ("X-Total-Count", "jobs matching the filter on the nodes that answered"),
    ("X-Limit", "the page size used"), ("X-Offset", "the offset used"),
    ("X-Unavailable-Nodes", 'JSON list of {"node", "reason"} for nodes that did not answer'))}


def paged(response: Response, page: dict[str, Any]) -> list[dict[str, Any]]:
    response.headers["X-Total-Count"] = str(page["total"])
    response.headers["X-Limit"] = str(page["limit"])
    response.headers["X-Offset"] = str(page["offset"])
    response.headers["X-Unavailable-Nodes"] = json.dumps(page["unavailable_nodes"])
    jobs: list[dict[str, Any]] = page["jobs"]
    return jobs


@router.get("/cluster/nodes", response_model=ClusterNodesView)
async def list_nodes(nodes: NodesDep) -> dict[str, Any]:
    """The original's map of nodes (`nodes`: name → address, `status`, `maintenance`,
    `accepting_new_jobs`, `self`) and every adclf node as Ray sees it under `node_views`
    (alive/dead, resources, queue, workers)."""
    return await nodes.cluster()


@router.post("/cluster/nodes/{node}/maintenance", response_model=NodeView)
async def set_maintenance(node: str, body: MaintenanceRequest, nodes: NodesDep
                          ) -> dict[str, Any]:
    """A node in maintenance finishes its jobs but takes no new ones (survives restarts).
    Answers the node's view, with the original's `maintenance_mode` and
    `accepting_new_jobs`."""
    return await nodes.set_maintenance(node, body.enabled)


@router.post("/admin/node/maintenance", response_model=NodeView)
async def set_local_maintenance(body: MaintenanceRequest, nodes: NodesDep) -> dict[str, Any]:
    """Maintenance of the node this request reached (the original's per-node switch)."""
    return await nodes.set_local_maintenance(body.enabled)


@router.get("/cluster/jobs", response_model=list[JobView],
            responses={200: {"headers": PAGE_HEADERS}})
async def cluster_jobs(
    jobs: JobsDep,
    response: Response,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[dict[str, Any]]:
    """All nodes' jobs merged newest first, as a bare array; the total and the nodes that did
    not answer are in the headers."""
    return paged(response, await jobs.list_cluster(status, q, limit, offset))


@router.get("/cluster/analytics")
async def cluster_analytics(nodes: NodesDep) -> dict[str, Any]:
    """The original's analytics (totals, top_brands, categories, duration_percentiles,
    path_metrics...) and ours (counts, durations, top_*, failures, per_hour), all nodes."""
    return await nodes.analytics()


@router.get("/analytics")
async def node_analytics(nodes: NodesDep) -> dict[str, Any]:
    """The same as /cluster/analytics for this request's node only (as the original)."""
    return await nodes.analytics(local_only=True)


@router.get("/admin/jobs", response_model=list[JobView],
            responses={200: {"headers": PAGE_HEADERS}})
async def admin_jobs(
    jobs: JobsDep,
    response: Response,
    node: Annotated[str | None, Query(description="adclf node name; default: this node")] = None,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[dict[str, Any]]:
    """One node's jobs, newest first, as a bare array (total in the headers)."""
    return paged(response, await jobs.list_node(node, status, q, limit, offset))


@router.post("/admin/cleanup")
async def admin_cleanup(nodes: NodesDep) -> list[dict[str, Any]]:
    """Run the TTL cleanup once on every live node and report what was removed."""
    return await nodes.cleanup()
