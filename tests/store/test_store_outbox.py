"""The store's webhook outbox on a real DuckDB file, wired to the real queue and writer (no Ray):
its rows are committed with the job changes they follow, survive a restart, and record each
attempt as an event of the job."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store_parts import Parts, make_settings, must, run, spec

from adclf.store.db import Row
from adclf.store.outbox import Outbox

HOOK = "https://hooks.example.org/adclf"


@dataclass
class WithOutbox:
    parts: Parts
    outbox: Outbox

    @classmethod
    def open(cls, parts: Parts) -> WithOutbox:
        return cls(parts, Outbox(parts.node, parts.db, parts.writer, parts.jobs))

    def crash(self) -> WithOutbox:
        return WithOutbox.open(self.parts.crash())

    def create(self, **extra: Any) -> str:
        return run(self.parts.jobs.create([spec(**extra)]))[0]["job_id"]

    def entry(self, job_id: str) -> Row | None:
        return self.outbox.entry(job_id)

    def events(self, job_id: str) -> list[str]:
        return [e["message"] for e in self.parts.db.events(job_id) if e["stage"] == "webhook"]


def store(tmp_path: Path, **settings: Any) -> WithOutbox:
    return WithOutbox.open(Parts.open(make_settings(tmp_path, **settings)))


def test_the_row_is_written_with_the_job_and_made_due_with_its_result(tmp_path: Path) -> None:
    s = store(tmp_path)
    plain = s.create()
    job_id = s.create(callback_url=HOOK)
    assert s.entry(plain) is None
    entry = must(s.entry(job_id))
    assert (entry["url"], entry["state"], entry["attempts"]) == (HOOK, "waiting", 0)
    assert s.outbox.waiting == {job_id}
    assert run(s.outbox.due(10, 60)) == []  # not finished: nothing owed yet
    s.parts.claim("w1")
    row = s.parts.claim("w2")
    assert {row["job_id"]} <= {plain, job_id}
    # finish both; only the one with a callback gets an outbox change
    for worker in ("w1", "w2"):
        owned = next(r for r in s.parts.jobs.active.values() if r["worker_id"] == worker)
        assert run(s.parts.jobs.complete(owned["job_id"], worker, {"brand": "ACME"}, None, None))
    s = s.crash()  # only committed state is left
    entry = must(s.entry(job_id))
    assert entry["state"] == "pending" and entry["due_at"] <= time.time()
    assert s.entry(plain) is None and s.outbox.waiting == set()


def test_the_completion_and_its_outbox_change_share_one_commit(tmp_path: Path) -> None:
    s = store(tmp_path)
    job_id = s.create(callback_url=HOOK)
    s.parts.claim("w1")
    # staged and never committed (the store dies right there): neither half is in the file
    assert s.parts.jobs._complete(job_id, "w1", {"brand": "ACME"}, None, None)
    s = s.crash()
    assert s.parts.on_disk(job_id)["status"] == "re-queued"
    assert must(s.entry(job_id))["state"] == "waiting"
    assert s.outbox.waiting == {job_id}
    s.parts.claim("w1")
    assert run(s.parts.jobs.fail(job_id, "w1", "not a video"))  # a failure owes it too
    assert s.parts.on_disk(job_id)["status"] == "failed"
    assert must(s.entry(job_id))["state"] == "pending"


def test_a_job_failed_by_start_up_recovery_owes_its_callback(tmp_path: Path) -> None:
    s = store(tmp_path, MAX_ATTEMPTS=1)
    job_id = s.create(callback_url=HOOK)
    s.parts.claim("w1")  # its one attempt is on disk; the node dies while it runs
    s = s.crash()
    assert s.parts.on_disk(job_id)["status"] == "failed"
    assert must(s.entry(job_id))["state"] == "pending"


# Long enough that a loaded CI box does not see a lease run out between two calls.
LEASE = 1.5


def test_due_rows_are_leased_and_every_outcome_is_an_event(tmp_path: Path) -> None:
    s = store(tmp_path)
    job_id = s.create(callback_url=HOOK)
    s.parts.claim("w1")
    run(s.parts.jobs.complete(job_id, "w1", {"brand": "ACME"}, None, None))
    taken = run(s.outbox.due(10, lease=LEASE))
    assert [r["job_id"] for r in taken] == [job_id]
    assert run(s.outbox.due(10, lease=LEASE)) == []  # leased: not handed out twice
    time.sleep(LEASE + 0.1)
    assert [r["job_id"] for r in run(s.outbox.due(10, lease=60))] == [job_id]  # lease ran out
    retry_at = time.time() + LEASE
    assert run(s.outbox.report(job_id, "pending", "attempt 1 failed (HTTP 503)", retry_at))
    entry = must(s.entry(job_id))
    assert (entry["attempts"], entry["last_error"]) == (1, "attempt 1 failed (HTTP 503)")
    assert run(s.outbox.due(10, 60)) == []
    time.sleep(LEASE + 0.1)
    assert [r["attempts"] for r in run(s.outbox.due(10, 60))] == [1]
    assert run(s.outbox.report(job_id, "delivered", "delivered on attempt 2 (HTTP 200)"))
    assert not run(s.outbox.report(job_id, "delivered", "again"))  # final: nothing more
    s = s.crash()
    entry = must(s.entry(job_id))
    assert (entry["state"], entry["attempts"], entry["last_error"]) == ("delivered", 2, None)
    assert s.events(job_id) == ["attempt 1 failed (HTTP 503)",
                                "delivered on attempt 2 (HTTP 200)"]
    assert run(s.outbox.due(10, 60)) == []


def test_a_waiting_due_wakes_when_a_job_with_a_callback_finishes(tmp_path: Path) -> None:
    s = store(tmp_path)
    job_id = s.create(callback_url=HOOK)
    s.parts.claim("w1")

    async def scenario() -> tuple[list[Row], float]:
        t0 = time.monotonic()
        waiter = asyncio.create_task(s.outbox.due(10, 60, wait=10))
        await asyncio.sleep(0.1)
        await s.parts.jobs.complete(job_id, "w1", {"brand": "ACME"}, None, None)
        return await waiter, time.monotonic() - t0

    rows, took = run(scenario())
    assert [r["job_id"] for r in rows] == [job_id] and took < 2


def test_deleted_jobs_take_their_rows_along(tmp_path: Path) -> None:
    s = store(tmp_path)
    job_id = s.create(callback_url=HOOK)
    s.outbox.forget([job_id])
    s.parts.jobs.forget(job_id)
    s.parts.writer.stage_delete(job_id)
    run(s.parts.writer.commit())
    assert s.entry(job_id) is None and s.outbox.waiting == set()
    # a row whose job vanished some other way is dropped at start-up
    other = s.create(callback_url=HOOK)
    s.parts.db.con.execute("DELETE FROM jobs WHERE job_id = ?", [other])
    s = s.crash()
    assert s.entry(other) is None
