"""Reads of one node's jobs: single jobs, pages, events, long-poll, counters and analytics.

A job is read from memory when the store has it there (active, staged, or recently finished) and
from DuckDB otherwise; queries that scan the file flush what is staged first, so they see every
change already answered. Plain asyncio, no Ray: the JobStore actor delegates its reads here."""

from __future__ import annotations

import time
from typing import Any

from adclf.domain import FINAL_STATUSES, Status
from adclf.store.db import Row
from adclf.store.queue import JobQueue
from adclf.store.writer import Writer

WORKER_SEEN_SECONDS = 30.0


class JobQueries:
    def __init__(self, node: str, jobs: JobQueue, writer: Writer) -> None:
        self.node = node
        self.jobs = jobs
        self.writer = writer
        self.db = writer.db
        self.reader = writer.db.reader()
        self.started_at = time.time()

    async def get(self, job_id: str) -> Row | None:
        row = self._in_memory(job_id)
        if row is not None:
            return dict(row)
        row = self.db.get(job_id)
        if row is not None and row["status"] in FINAL_STATUSES:
            self.jobs.remember(row)
            return dict(row)
        return row

    def peek(self, job_id: str) -> Row | None:
        """`get` for the store's read thread, so a poll does not wait behind a group commit on
        the actor's loop. Memory first (each dict lookup and copy is atomic under the GIL), then
        the read cursor; it never writes to memory, so it cannot race the loop's bookkeeping."""
        row = self._in_memory(job_id)
        return dict(row) if row is not None else self.reader.get(job_id)

    def _in_memory(self, job_id: str) -> Row | None:
        """The job as the store holds it: active, staged for the next commit, or recently
        finished (None: only the file can say)."""
        return (self.jobs.active.get(job_id) or self.writer.dirty.get(job_id)
                or self.jobs.recent.get(job_id))

    async def get_many(self, job_ids: list[str]) -> list[Row]:
        found = []
        for job_id in job_ids:
            row = await self.get(job_id)
            if row is not None:
                found.append(row)
        return found

    async def list_jobs(self, statuses: list[str] | None = None, query: str | None = None,
                        limit: int = 100, offset: int = 0) -> dict[str, Any]:
        await self.writer.flush()
        rows, total = self.db.page(statuses=statuses, query=query, limit=limit, offset=offset)
        return {"jobs": rows, "total": total}

    async def events(self, job_id: str) -> list[Row]:
        await self.writer.flush()
        return self.db.events(job_id)

    async def wait_change(self, job_id: str, since: float | None, timeout: float) -> Row | None:
        """Long-poll: the job as soon as its updated_at differs from `since` (or at timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            row = await self.get(job_id)
            if row is None or row["updated_at"] != since:
                return row
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return row
            await self.writer.wait_change(remaining)

    async def stats(self, maintenance: bool) -> dict[str, Any]:
        await self.writer.flush()
        counts = self.db.counts()
        now = time.time()
        seen = self.jobs.workers_seen.values()
        workers = sum(1 for t in seen if now - t < WORKER_SEEN_SECONDS)
        w = self.writer
        return {
            "node": self.node,
            "jobs_queued": counts.get(Status.QUEUED, 0) + counts.get(Status.REQUEUED, 0),
            "jobs_processing": counts.get(Status.PROCESSING, 0),
            "jobs_completed": counts.get(Status.COMPLETED, 0),
            "jobs_failed": counts.get(Status.FAILED, 0),
            "jobs_submitted_this_process": self.jobs.submitted_this_process,
            "uptime_seconds": round(now - self.started_at, 3),
            "workers_active": workers,
            "maintenance": maintenance,
            "db": str(self.db.path),
            "commits": w.commits,
            "commit_seconds": round(w.commit_seconds, 3),
            "rows_per_commit": round(w.committed_changes / w.commits, 2) if w.commits else 0.0,
        }

    async def analytics(self) -> dict[str, Any]:
        await self.writer.flush()
        return self.db.analytics()
