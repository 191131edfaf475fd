"""Reading, following, exporting and deleting jobs, each on its owner node; answers in the API's
JSON shapes (see views)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

from adclf.domain import FINAL_STATUSES
from adclf.errors import NotFound, Unavailable
from adclf.services import views
from adclf.services.stores import Stores, owner_of
from adclf.store.client import StoreClient

__all__ = ["Change", "JobService", "owner_of", "statuses"]

FOLLOW_POLL_SECONDS = 15.0


def statuses(status: str | None) -> list[str] | None:
    """The stored statuses behind a status filter of the API ('running', 'queued', ...)."""
    if not status:
        return None
    if status == "running":
        return ["processing"]
    if status == "queued":
        return ["queued", "re-queued"]
    return [status]


@dataclass(frozen=True)
class Change:
    """One step of a followed job. `update`: the job changed; `quiet`: nothing changed for a poll
    interval; `deleted`: the job is gone; `final`: the job's last state (the end)."""

    kind: Literal["update", "quiet", "deleted", "final"]
    job: dict[str, Any] | None = None


class JobService:
    def __init__(self, stores: Stores, local_node: str) -> None:
        self.stores = stores
        self.local_node = local_node

    # ---- one job -------------------------------------------------------------------------------
    async def row(self, job_id: str) -> dict[str, Any]:
        return await self.stores.for_job(job_id).get(job_id)

    async def job(self, job_id: str) -> dict[str, Any]:
        return views.job_view(await self.row(job_id))

    async def result(self, job_id: str) -> dict[str, Any]:
        return views.result_view(await self.row(job_id))

    async def artifacts(self, job_id: str, base_url: str) -> dict[str, Any]:
        """`base_url` prefixes the frame and video URLs (the address the client used)."""
        return views.artifacts_view(await self.row(job_id), base_url)

    async def explanation(self, job_id: str, base_url: str) -> dict[str, Any]:
        row = await self.row(job_id)
        events = await self.stores.for_job(job_id).events(job_id)
        return views.explanation_view(row, base_url, events)

    async def events(self, job_id: str) -> dict[str, Any]:
        """The original's event strings under `events`, ours (ts, stage, message) under
        `entries`."""
        return views.events_view(await self.stores.for_job(job_id).events(job_id))

    async def follow(self, job_id: str, poll: float = FOLLOW_POLL_SECONDS
                     ) -> AsyncIterator[Change]:
        """The job's changes, from its current state until it is final or deleted. The job is
        read before this returns, so an unknown job raises NotFound here, not mid-iteration."""
        store = self.stores.for_job(job_id)
        first = await store.get(job_id)
        return self._changes(store, job_id, first, poll)

    @staticmethod
    async def _changes(store: StoreClient, job_id: str, row: dict[str, Any], poll: float
                       ) -> AsyncIterator[Change]:
        yield Change("update", views.job_view(row))
        while row["status"] not in FINAL_STATUSES:
            since = row["updated_at"]
            changed = await store.wait_change(job_id, since, timeout=poll)
            if changed is None:
                yield Change("deleted")
                return
            row = changed
            if row["updated_at"] == since:
                yield Change("quiet")
                continue
            yield Change("update", views.job_view(row))
        yield Change("final", views.job_view(row))

    async def delete_one(self, job_id: str) -> None:
        """Delete a job and its files (a running job is aborted); NotFound if there is none."""
        got = await self.stores.for_job(job_id).delete([job_id])
        if not got["deleted"]:
            raise NotFound(f"job {job_id} not found")

    # ---- many jobs -----------------------------------------------------------------------------
    async def delete(self, job_ids: list[str]) -> dict[str, list[str]]:
        """Delete jobs on any nodes; unknown ids and unreachable nodes are reported, not fatal."""
        by_node: dict[str, list[str]] = {}
        missing: list[str] = []
        for job_id in dict.fromkeys(job_ids):
            try:
                by_node.setdefault(owner_of(job_id), []).append(job_id)
            except NotFound:
                missing.append(job_id)
        deleted: list[str] = []
        unavailable: list[str] = []
        for node, ids in by_node.items():
            try:
                got = await self.stores.for_node(node).delete(ids)
            except NotFound:
                missing += ids
                continue
            except Unavailable:
                unavailable += ids
                continue
            deleted += got["deleted"]
            missing += got["not_found"]
        return {"deleted": deleted, "not_found": missing, "unavailable": unavailable}

    async def list_local(self, status: str | None, query: str | None, limit: int, offset: int
                         ) -> list[dict[str, Any]]:
        """This replica's node's jobs, newest first."""
        page = await self.stores.for_node(self.local_node).list_jobs(
            statuses(status), query, limit, offset)
        return [views.job_view(r) for r in page["jobs"]]

    async def list_node(self, node: str | None, status: str | None, query: str | None,
                        limit: int, offset: int) -> dict[str, Any]:
        """One node's jobs (default: this replica's node), newest first, as a page."""
        page = await self.stores.for_node(node or self.local_node).list_jobs(
            statuses(status), query, limit, offset)
        return {"jobs": [views.job_view(r) for r in page["jobs"]], "total": page["total"],
                "limit": limit, "offset": offset, "unavailable_nodes": []}

    async def list_cluster(self, status: str | None, query: str | None, limit: int,
                           offset: int) -> dict[str, Any]:
        """All nodes' jobs merged newest first; dead or silent nodes are reported, not fatal."""
        unavailable: list[dict[str, str]] = []
        live = []
        for n in self.stores.registry.nodes():
            if n.alive:
                live.append(n.name)
            else:
                unavailable.append({"node": n.name, "reason": "node is dead in Ray"})
        window = offset + limit
        wanted = statuses(status)
        pages = await asyncio.gather(*(
            asyncio.wait_for(self.stores.for_node(name).list_jobs(wanted, query, window, 0), 10)
            for name in live), return_exceptions=True)
        rows: list[dict[str, Any]] = []
        total = 0
        for name, page in zip(live, pages, strict=True):
            if isinstance(page, BaseException):
                unavailable.append({"node": name, "reason": f"job store did not answer: {page}"})
                continue
            rows += page["jobs"]
            total += page["total"]
        rows.sort(key=lambda r: (r["updated_at"], r["seq"]), reverse=True)
        return {"jobs": [views.job_view(r) for r in rows[offset:window]], "total": total,
                "limit": limit, "offset": offset, "unavailable_nodes": unavailable}

    async def export(self, fmt: str) -> bytes:
        """Every live node's jobs with their results, as one CSV or Parquet file."""
        # pyarrow is loaded on the first export, not by every replica at start-up.
        from adclf.services.export import export_cluster

        return await export_cluster(self.stores, fmt)
