"""The watch-folder ledger of one node: content hash -> the job that classified it.

A table in the node's DuckDB file, written only here (inside the JobStore actor, so the file
keeps one writer). A claim is two commits in a fixed order, so that "once" holds across a crash
at any point:
1. the ledger row, state `submitting`, with the job id chosen in advance;
2. the job (JobQueue.create, committed before the caller is answered);
then the row becomes `submitted` (written behind: start-up recovery redoes it).
At start-up a `submitting` row whose job exists is finished; one whose job does not exist was
cut off before step 2 and is dropped, so its file is claimed again by the next scan.

Plain Python on the actor's event loop: the statements here run between the writer's commits
(each of those is one synchronous call), never inside one."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from adclf.store.db import JobDB, Row
from adclf.store.queue import JobQueue

log = logging.getLogger("adclf.store")

DDL = (
    "CREATE TABLE IF NOT EXISTS watch_ledger (sha256 VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, "
    "job_id VARCHAR NOT NULL, state VARCHAR NOT NULL, created_at DOUBLE NOT NULL, "
    "written VARCHAR, written_at DOUBLE)"
)
COLUMNS = "sha256, path, job_id, created_at, written"


class WatchLedger:
    def __init__(self, node: str, db: JobDB, jobs: JobQueue) -> None:
        self.node = node
        self.db = db
        self.jobs = jobs
        db.con.execute(DDL)
        self._recover()

    def _recover(self) -> None:
        cut = self.db.con.execute(
            "SELECT sha256, job_id FROM watch_ledger WHERE state = 'submitting'").fetchall()
        for sha, job_id in cut:
            if self.db.get(job_id) is not None:
                self.db.con.execute("UPDATE watch_ledger SET state = 'submitted' "
                                    "WHERE sha256 = ?", [sha])
            else:
                self.db.con.execute("DELETE FROM watch_ledger WHERE sha256 = ?", [sha])
                log.info("store %s: watch claim of %s was cut off before its job; the file "
                         "will be claimed again", self.node, sha[:12])

    def _rows(self, sql: str, params: list[Any]) -> list[Row]:
        cur = self.db.con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, rec, strict=True)) for rec in cur.fetchall()]

    def get(self, sha256: str) -> Row | None:
        rows = self._rows(f"SELECT {COLUMNS} FROM watch_ledger WHERE sha256 = ?", [sha256])
        return rows[0] if rows else None

    async def claim(self, sha256: str, path: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Create the job for `path` unless this content has one: {entry, created}."""
        known = self.get(sha256)
        if known is not None:
            return {"entry": known, "created": False}
        job_id = f"{self.node}-{uuid.uuid4()}"
        now = time.time()
        self.db.con.execute("INSERT INTO watch_ledger VALUES (?, ?, ?, 'submitting', ?, NULL, "
                            "NULL)", [sha256, path, job_id, now])
        try:
            await self.jobs.create([{**spec, "job_id": job_id}])
        except BaseException:
            self.db.con.execute("DELETE FROM watch_ledger WHERE sha256 = ?", [sha256])
            raise
        self.db.con.execute("UPDATE watch_ledger SET state = 'submitted' WHERE sha256 = ?",
                            [sha256])
        entry = {"sha256": sha256, "path": path, "job_id": job_id, "created_at": now,
                 "written": None}
        return {"entry": entry, "created": True}

    def unfinished(self) -> list[Row]:
        return self._rows(f"SELECT {COLUMNS} FROM watch_ledger WHERE written IS NULL "
                          "ORDER BY created_at", [])

    def mark_written(self, sha256: str, status: str) -> bool:
        got = self.db.con.execute(
            "UPDATE watch_ledger SET written = ?, written_at = ? WHERE sha256 = ? RETURNING 1",
            [status, time.time(), sha256]).fetchall()
        return bool(got)

    def entries(self, limit: int = 100, offset: int = 0) -> list[Row]:
        return self._rows(f"SELECT {COLUMNS} FROM watch_ledger ORDER BY created_at DESC "
                          "LIMIT ? OFFSET ?", [limit, offset])
