"""The job queue of one node: active jobs in memory, leases, claims, results and retries.

Active jobs (queued, re-queued, processing) live in memory and are authoritative there; every
change to them is staged with the writer. A claim is committed before the worker gets its work
order, so the attempt count is on disk before the pipeline touches the job: a video that crashes
its node every time still reaches MAX_ATTEMPTS (a restarted store fails such a job instead of
re-queueing it for ever, see `_give_up_after_crash`). It costs no extra commit on the busy path:
`complete_and_claim` commits the result and the next claim together.

Claim order: high priority before normal before low, and within a priority one job of each
submission batch in turn (fair_queue.FairQueue), so a large batch cannot starve a later one.

Plain asyncio, no Ray: the JobStore actor delegates its worker-side calls here. A little over
300 lines: a job's whole life in memory, from creation to its final status, is one concept."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from adclf.config import Settings
from adclf.domain import DEFAULT_PRIORITY, PRIORITIES, STAGE_PROGRESS, Stage, Status
from adclf.store.db import Row, dumps
from adclf.store.fair_queue import FairQueue
from adclf.store.writer import Writer

log = logging.getLogger("adclf.store")

RESULT_FIELDS = (
    "brand", "category", "category_id", "category_name", "parent_category_id", "parent_category",
    "industry_id", "industry_name", "confidence", "reasoning",
)
WORK_ORDER_FIELDS = ("job_id", "node", "status", "mode", "source_kind", "source", "original_name",
                     "settings", "attempts", "lease_until")
RECENT_FINISHED_CACHED = 1000


class JobQueue:
    def __init__(self, node: str, settings: Settings, writer: Writer) -> None:
        self.node = node
        self.settings = settings
        self.writer = writer
        self.active: dict[str, Row] = {}
        self.recent: OrderedDict[str, Row] = OrderedDict()
        self.queue = FairQueue()  # the queued ids in claim order; `active` has their rows
        self.seq = writer.db.max_seq()
        self.submitted_this_process = 0
        self.workers_seen: dict[str, float] = {}
        self._work = asyncio.Event()  # set while there may be a job to claim
        # Observers (store.outbox) staging their own changes into the same commit as a job's
        # creation (with its spec) and as its final status.
        self.on_created: Callable[[Row, dict[str, Any]], None] | None = None
        self.on_finished: Callable[[Row], None] | None = None
        self._recover()

    # ---- start-up ----------------------------------------------------------------------------
    def _recover(self) -> None:
        """A store restart means no worker can still hold a lease we know of: re-queue them.
        The queue is rebuilt in created order, so batches take turns as they were made."""
        now = time.time()
        for row in self.writer.db.active_rows():
            if row["status"] == Status.PROCESSING:
                if self._give_up_after_crash(row, now):
                    continue
                row.update(status=Status.REQUEUED, stage=Stage.QUEUED, worker_id=None,
                           lease_until=None, progress=0.0, updated_at=now,
                           stage_detail=f"re-queued after the job store restarted during "
                                        f"attempt {row['attempts']} of "
                                        f"{self.settings.MAX_ATTEMPTS}")
                self.writer.stage_row(row)
                self.writer.stage_event(row["job_id"], Stage.QUEUED, row["stage_detail"])
            self.active[row["job_id"]] = row
            self.queue.push(row["job_id"], row["priority"], row["batch_id"])
        if self.writer.staged():
            self.writer.commit_now()
        if self.queue:
            self._work.set()
        log.info("store %s: %d active jobs recovered from %s", self.node, len(self.active),
                 self.writer.db.path)

    def _give_up_after_crash(self, row: Row, now: float) -> bool:
        """A job still processing when its store died was cut off by a crash (of the store, or
        of the whole node with its worker). One that used its last attempt that way fails
        here: a poison video that kills its node would otherwise take it down for ever."""
        attempts = int(row["attempts"] or 0)
        if attempts < self.settings.MAX_ATTEMPTS:
            return False
        error = (f"gave up after {attempts} attempts: the node or job store crashed while "
                 f"each one was running (the input may crash the pipeline)")
        row.update(status=Status.FAILED.value, stage=Stage.FAILED.value, stage_detail=error,
                   error=error, progress=100.0, updated_at=now, finished_at=now,
                   worker_id=None, lease_until=None)
        self.writer.stage_row(row)
        self.writer.stage_event(row["job_id"], Stage.FAILED, error)
        return True

    # ---- creation ----------------------------------------------------------------------------
    async def create(self, specs: list[dict[str, Any]]) -> list[Row]:
        """specs: {mode, source_kind, source, original_name, settings(dict), priority,
        batch_id}; ids made here. Specs without a batch_id are one batch."""
        for spec in specs:
            if (spec.get("priority") or DEFAULT_PRIORITY) not in PRIORITIES:
                raise ValueError(f"priority must be one of {', '.join(PRIORITIES)}, "
                                 f"not {str(spec['priority'])[:40]!r}")
        pending = len(self.active)
        if pending + len(specs) > self.settings.MAX_PENDING_JOBS_PER_NODE:
            raise OverflowError(
                f"node {self.node} already has {pending} pending jobs "
                f"(limit {self.settings.MAX_PENDING_JOBS_PER_NODE}); try again later"
            )
        now = time.time()
        batch = uuid.uuid4().hex
        rows: list[Row] = []
        for spec in specs:
            self.seq += 1
            job_id = spec.get("job_id") or f"{self.node}-{uuid.uuid4()}"
            row: Row = {
                "job_id": job_id, "seq": self.seq, "node": self.node,
                "status": Status.QUEUED.value, "stage": Stage.QUEUED.value,
                "stage_detail": "waiting for a worker", "progress": 0.0,
                "mode": spec.get("mode", "pipeline"), "source_kind": spec["source_kind"],
                "source": spec["source"], "original_name": spec.get("original_name"),
                "settings": dumps(spec.get("settings") or {}), "error": None, "attempts": 0,
                "worker_id": None, "lease_until": None, "created_at": now, "updated_at": now,
                "started_at": None, "finished_at": None,
                **{k: None for k in RESULT_FIELDS}, "result": None, "explanation": None,
                "artifacts": None, "priority": spec.get("priority") or DEFAULT_PRIORITY,
                "batch_id": spec.get("batch_id") or batch,
            }
            self.active[job_id] = row
            self.queue.push(job_id, row["priority"], row["batch_id"])
            self.writer.stage_row(row, new=True)
            self.writer.stage_event(job_id, Stage.QUEUED, f"queued on {self.node}")
            if self.on_created is not None:
                self.on_created(row, spec)
            rows.append(row)
        self.submitted_this_process += len(rows)
        await self.writer.commit()
        self._work.set()
        return [dict(r) for r in rows]

    # ---- claims and leases -------------------------------------------------------------------
    async def claim(self, worker_id: str, wait: float = 0.0) -> Row | None:
        """Give the next queued job (see FairQueue) to `worker_id` with a lease, waiting up to
        `wait` s."""
        deadline = time.monotonic() + wait
        while True:
            row = self._take(worker_id)
            if row is not None:
                await self.writer.commit()  # the attempt count is on disk before any work starts
                return work_order(row)
            self._work.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._work.wait(), timeout=remaining)

    def _take(self, worker_id: str) -> Row | None:
        self.workers_seen[worker_id] = time.time()
        while (job_id := self.queue.pop()) is not None:
            row = self.active.get(job_id)
            if row is None or row["status"] not in (Status.QUEUED, Status.REQUEUED):
                continue
            now = time.time()
            row.update(
                status=Status.PROCESSING.value, stage=Stage.CLAIM.value,
                stage_detail=f"claimed by {worker_id}", worker_id=worker_id,
                lease_until=now + self.settings.LEASE_SECONDS,
                attempts=int(row["attempts"] or 0) + 1, updated_at=now,
                progress=STAGE_PROGRESS[Stage.CLAIM],
                started_at=row["started_at"] or now,
            )
            self.writer.stage_row(row)
            self.writer.stage_event(job_id, Stage.CLAIM,
                                    f"attempt {row['attempts']} claimed by {worker_id}")
            return row
        return None

    def _owned(self, job_id: str, worker_id: str) -> Row | None:
        row = self.active.get(job_id)
        if row is None or row["status"] != Status.PROCESSING or row["worker_id"] != worker_id:
            return None
        return row

    def heartbeat(self, job_id: str, worker_id: str) -> bool:
        """Extend the lease; False tells the worker to abandon the job (deleted or re-queued)."""
        self.workers_seen[worker_id] = time.time()
        row = self._owned(job_id, worker_id)
        if row is None:
            return False
        row["lease_until"] = time.time() + self.settings.LEASE_SECONDS
        return True

    async def reaper(self) -> None:
        """Re-queue jobs whose worker stopped heart-beating (died, node lost). Runs for ever."""
        while True:
            await asyncio.sleep(min(1.0, self.settings.LEASE_SECONDS / 4))
            await self.reap()

    async def reap(self) -> list[str]:
        """One pass of the reaper: fail or re-queue every job whose lease has run out."""
        now = time.time()
        expired = [r for r in self.active.values()
                   if r["status"] == Status.PROCESSING and (r["lease_until"] or 0) < now]
        for row in expired:
            self._fail_or_requeue(
                row, f"lease expired: worker {row['worker_id']} stopped responding", True)
        if expired:
            await self.writer.commit()
        return [r["job_id"] for r in expired]

    # ---- progress (written behind) -----------------------------------------------------------
    def update_stage(self, job_id: str, worker_id: str, stage: str, detail: str = "",
                     progress: float | None = None) -> bool:
        row = self._owned(job_id, worker_id)
        if row is None:
            return False
        now = time.time()
        base = STAGE_PROGRESS.get(Stage(stage), row["progress"] or 0.0)
        new_progress = float(progress) if progress is not None else base
        changed_stage = row["stage"] != stage
        row.update(stage=stage, stage_detail=detail, updated_at=now,
                   progress=max(float(row["progress"] or 0.0), min(99.0, new_progress)),
                   lease_until=now + self.settings.LEASE_SECONDS)
        self.writer.stage_row(row)
        if changed_stage or detail:
            self.writer.stage_event(job_id, stage, detail)
        self.writer.commit_later()
        return True

    def add_event(self, job_id: str, worker_id: str, message: str) -> bool:
        row = self._owned(job_id, worker_id)
        if row is None:
            return False
        self.writer.stage_event(job_id, row["stage"], message)
        self.writer.commit_later()
        return True

    # ---- outcomes (durable) ------------------------------------------------------------------
    async def complete(self, job_id: str, worker_id: str, result: dict[str, Any],
                       explanation: dict[str, Any] | None, artifacts: dict[str, Any] | None
                       ) -> bool:
        done = self._complete(job_id, worker_id, result, explanation, artifacts)
        if done:
            await self.writer.commit()
        return done

    async def complete_and_claim(self, job_id: str, worker_id: str, result: dict[str, Any],
                                 explanation: dict[str, Any] | None,
                                 artifacts: dict[str, Any] | None) -> dict[str, Any]:
        """A worker's usual round trip: record the result and take the next queued job (if any)
        in one call and one commit, instead of two calls."""
        done = self._complete(job_id, worker_id, result, explanation, artifacts)
        row = self._take(worker_id)
        if done or row is not None:
            await self.writer.commit()
        return {"completed": done, "next": work_order(row) if row is not None else None}

    def _complete(self, job_id: str, worker_id: str, result: dict[str, Any],
                  explanation: dict[str, Any] | None, artifacts: dict[str, Any] | None) -> bool:
        row = self._owned(job_id, worker_id)
        if row is None:
            return False
        now = time.time()
        row.update(status=Status.COMPLETED.value, stage=Stage.COMPLETED.value,
                   stage_detail="done", progress=100.0, updated_at=now, finished_at=now,
                   worker_id=None, lease_until=None, error=None,
                   result=dumps(result), explanation=dumps(explanation),
                   artifacts=dumps(artifacts))
        for key in RESULT_FIELDS:
            row[key] = result.get(key)
        self._finish(row)
        self.writer.stage_event(job_id, Stage.COMPLETED,
                                f"brand={result.get('brand')!r} "
                                f"category={result.get('category_name')!r}")
        return True

    async def fail(self, job_id: str, worker_id: str, error: str, retry: bool = False,
                   artifacts: dict[str, Any] | None = None) -> bool:
        row = self._owned(job_id, worker_id)
        if row is None:
            return False
        self._fail_or_requeue(row, error, retry)
        if artifacts is not None:
            row["artifacts"] = dumps(artifacts)
        await self.writer.commit()
        return True

    def _fail_or_requeue(self, row: Row, error: str, retry: bool) -> None:
        now = time.time()
        attempts = int(row["attempts"] or 0)
        if retry and attempts < self.settings.MAX_ATTEMPTS:
            row.update(status=Status.REQUEUED.value, stage=Stage.QUEUED.value,
                       stage_detail=f"re-queued: {error}", worker_id=None, lease_until=None,
                       progress=0.0, updated_at=now)
            self.writer.stage_row(row)
            self.writer.stage_event(row["job_id"], Stage.QUEUED,
                                    f"re-queued (attempt {attempts} of "
                                    f"{self.settings.MAX_ATTEMPTS}): {error}")
            self.queue.push_front(row["job_id"], row["priority"], row["batch_id"])
            self._work.set()
            return
        if retry:
            error = f"{error} (gave up after {attempts} attempts)"
        row.update(status=Status.FAILED.value, stage=Stage.FAILED.value, stage_detail=error,
                   error=error, progress=100.0, updated_at=now, finished_at=now,
                   worker_id=None, lease_until=None)
        self._finish(row)
        self.writer.stage_event(row["job_id"], Stage.FAILED, error)

    # ---- finished jobs -----------------------------------------------------------------------
    def _finish(self, row: Row) -> None:
        self.writer.stage_row(row)
        if self.on_finished is not None:
            self.on_finished(row)
        self.active.pop(row["job_id"], None)
        self.remember(row)

    def remember(self, row: Row) -> None:
        """Finished rows never change again (only deletion, which goes through `forget`), so
        the most recent ones are answered from memory instead of a DuckDB query."""
        self.recent[row["job_id"]] = row
        self.recent.move_to_end(row["job_id"])
        while len(self.recent) > RECENT_FINISHED_CACHED:
            self.recent.popitem(last=False)

    def forget(self, job_id: str) -> None:
        """Drop a deleted job from memory; a worker still running it is refused from now on."""
        self.active.pop(job_id, None)
        self.recent.pop(job_id, None)


def work_order(row: Row) -> Row:
    """What a worker needs to run a claimed job: smaller to send than the whole row."""
    return {k: row[k] for k in WORK_ORDER_FIELDS}
