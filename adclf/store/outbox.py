"""The webhook outbox of one node: which finished jobs still owe their callback, and when the
next attempt is due. A table in the node's DuckDB file, written only here (inside the JobStore
actor, so the file keeps one writer).

No change is ever between two commits, so nothing is lost in a crash:
- a job submitted with a callback gets its row (`waiting`) in the commit that creates the job;
- the row becomes `pending` (due now) in the commit that records the job's final status
  (JobQueue's observers; a job failed by start-up recovery is caught up in `_recover`);
- each attempt's outcome and its event on the job are one commit (`report`).
The HTTP request itself is not made here: the node's deliverer actor (adclf.webhooks.delivery)
takes due rows with `due`, posts them and reports back. A taken row is leased (its due time moves
forward) rather than marked, so a deliverer that dies mid-request leaves it due again: delivery
is at least once.

Plain asyncio on the actor's event loop, no Ray, no network."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from adclf.domain import FINAL_STATUSES
from adclf.store.db import JobDB, Row
from adclf.store.queue import JobQueue
from adclf.store.writer import Writer

log = logging.getLogger("adclf.store")

DDL = (
    "CREATE TABLE IF NOT EXISTS webhook_outbox (job_id VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, "
    "state VARCHAR NOT NULL, attempts INTEGER NOT NULL, created_at DOUBLE NOT NULL, "
    "due_at DOUBLE, first_due_at DOUBLE, last_error VARCHAR, done_at DOUBLE)"
)
COLUMNS = "job_id, url, state, attempts, created_at, due_at, first_due_at, last_error, done_at"
# waiting: the job is not finished; pending: a delivery is owed; delivered / failed: final.
STATES = ("waiting", "pending", "delivered", "failed")
EVENT_STAGE = "webhook"


class Outbox:
    def __init__(self, node: str, db: JobDB, writer: Writer, jobs: JobQueue) -> None:
        self.node = node
        self.db = db
        self.writer = writer
        db.con.execute(DDL)
        self._recover()
        # Job ids with a `waiting` row: a finished job without a callback costs no statement.
        self.waiting: set[str] = {r[0] for r in db.con.execute(
            "SELECT job_id FROM webhook_outbox WHERE state = 'waiting'").fetchall()}
        self._due = asyncio.Event()
        jobs.on_created = self.created
        jobs.on_finished = self.finished

    def _recover(self) -> None:
        """Catch up what the queue's own start-up recovery changed without the observers: jobs
        it failed after a crash owe their callback now; rows of jobs gone are dropped."""
        marks = ",".join("?" for _ in FINAL_STATUSES)
        now = time.time()
        self.db.con.execute(
            "UPDATE webhook_outbox SET state = 'pending', due_at = ?, first_due_at = ? "
            f"WHERE state = 'waiting' AND job_id IN (SELECT job_id FROM jobs WHERE status IN "
            f"({marks}))", [now, now, *FINAL_STATUSES])
        self.db.con.execute("DELETE FROM webhook_outbox WHERE job_id NOT IN "
                            "(SELECT job_id FROM jobs)")

    # ---- the queue's observers (staged in the job's own commit) ------------------------------
    def created(self, row: Row, spec: dict[str, Any]) -> None:
        url = spec.get("callback_url")
        if not url:
            return
        self.writer.stage_sql(
            f"INSERT INTO webhook_outbox ({COLUMNS}) VALUES (?, ?, 'waiting', 0, ?, NULL, NULL, "
            "NULL, NULL)", [row["job_id"], str(url), row["created_at"]])
        self.waiting.add(row["job_id"])

    def finished(self, row: Row) -> None:
        if row["job_id"] not in self.waiting:
            return
        self.waiting.discard(row["job_id"])
        now = time.time()
        self.writer.stage_sql(
            "UPDATE webhook_outbox SET state = 'pending', due_at = ?, first_due_at = ? "
            "WHERE job_id = ? AND state = 'waiting'", [now, now, row["job_id"]])
        self._wake()  # a waiting `due` flushes the writer before it reads

    def _wake(self) -> None:
        self._due.set()
        self._due = asyncio.Event()

    def forget(self, job_ids: list[str]) -> None:
        """Staged with the deletion of these jobs: a deleted job's callback is not sent."""
        self.waiting.difference_update(job_ids)
        self.writer.stage_sql("DELETE FROM webhook_outbox WHERE job_id IN (SELECT unnest(?))",
                              [job_ids])

    # ---- the deliverer's side ----------------------------------------------------------------
    def _rows(self, sql: str, params: list[Any]) -> list[Row]:
        cur = self.db.con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, rec, strict=True)) for rec in cur.fetchall()]

    def _take(self, limit: int, lease: float) -> list[Row]:
        now = time.time()
        rows = self._rows(
            f"SELECT {COLUMNS} FROM webhook_outbox WHERE state = 'pending' AND due_at <= ? "
            "ORDER BY due_at LIMIT ?", [now, limit])
        if rows:
            # Autocommitted on its own: losing a lease in a crash only makes the row due again.
            self.db.con.execute("UPDATE webhook_outbox SET due_at = ? WHERE job_id IN "
                                "(SELECT unnest(?))", [now + lease, [r["job_id"] for r in rows]])
        return rows

    async def due(self, limit: int, lease: float, wait: float = 0.0) -> list[Row]:
        """Up to `limit` rows whose attempt is due, leased for `lease` s; waits up to `wait` s
        for a job to finish when none is due."""
        await self.writer.flush()
        rows = self._take(limit, lease)
        if rows or wait <= 0:
            return rows
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._due.wait(), timeout=wait)
        await self.writer.flush()
        return self._take(limit, lease)

    async def report(self, job_id: str, state: str, message: str,
                     retry_at: float | None = None) -> bool:
        """Record one attempt: `pending` (failed, next at `retry_at`), `delivered` or `failed`
        (given up), with `message` as the job's event. False if the row is gone (deleted)."""
        if state not in ("pending", "delivered", "failed"):
            raise ValueError(f"not an outcome: {state!r}")
        if state == "pending" and retry_at is None:
            raise ValueError("a pending outcome needs retry_at")
        known = self.db.con.execute("SELECT state FROM webhook_outbox WHERE job_id = ?",
                                    [job_id]).fetchone()
        if known is None or known[0] != "pending":
            return False
        now = time.time()
        error = None if state == "delivered" else message
        self.writer.stage_sql(
            "UPDATE webhook_outbox SET state = ?, attempts = attempts + 1, due_at = ?, "
            "last_error = ?, done_at = ? WHERE job_id = ?",
            [state, retry_at if state == "pending" else None, error,
             None if state == "pending" else now, job_id])
        self.writer.stage_event(job_id, EVENT_STAGE, message)
        await self.writer.commit()
        return True

    def entry(self, job_id: str) -> Row | None:
        rows = self._rows(f"SELECT {COLUMNS} FROM webhook_outbox WHERE job_id = ?", [job_id])
        return rows[0] if rows else None

    def counts(self) -> dict[str, int]:
        got = self.db.con.execute(
            "SELECT state, count(*) FROM webhook_outbox GROUP BY state").fetchall()
        return {str(state): int(n) for state, n in got}
