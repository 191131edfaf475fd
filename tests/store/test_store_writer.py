"""Group commit (adclf.store.writer) without Ray, on a real DuckDB file."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from store_parts import Parts, make_settings, run, spec

from adclf.store.db import JobDB
from adclf.store.writer import LAZY_FLUSH_SECONDS, Writer


def _row(parts: Parts, i: int) -> dict:
    """A job row as the queue makes it, built through the queue's own creation path."""
    return run(parts.jobs.create([spec(i)]))[0]


def test_a_durable_commit_is_in_the_file_before_it_returns(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job_id = _row(parts, 1)["job_id"]
    row = parts.jobs.active[job_id]
    row["stage_detail"] = "edited"
    parts.writer.stage_row(row)
    parts.writer.stage_event(job_id, "ocr", "reading")
    assert parts.on_disk(job_id)["stage_detail"] == "waiting for a worker"  # only staged
    run(parts.writer.commit())
    assert parts.on_disk(job_id)["stage_detail"] == "edited"
    assert [e["message"] for e in parts.db.events(job_id)][-1] == "reading"
    assert not parts.writer.staged()


def test_write_behind_reaches_the_file_on_its_own(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job_id = _row(parts, 1)["job_id"]
    row = parts.jobs.active[job_id]

    async def report_progress() -> tuple[float | None, float | None]:
        row["progress"] = 42.0
        parts.writer.stage_row(row)
        parts.writer.commit_later()  # answered at once, written within LAZY_FLUSH_SECONDS
        before = parts.on_disk(job_id)["progress"]
        await asyncio.sleep(LAZY_FLUSH_SECONDS * 4)
        return before, parts.on_disk(job_id)["progress"]

    before, after = run(report_progress())
    assert (before, after) == (0.0, 42.0)


def test_a_durable_commit_takes_written_behind_changes_along(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    a, b = _row(parts, 1)["job_id"], _row(parts, 2)["job_id"]
    commits = parts.writer.commits

    async def both() -> None:
        parts.jobs.active[a]["progress"] = 10.0
        parts.writer.stage_row(parts.jobs.active[a])
        parts.writer.commit_later()
        parts.jobs.active[b]["progress"] = 20.0
        parts.writer.stage_row(parts.jobs.active[b])
        await parts.writer.commit()
        await asyncio.sleep(LAZY_FLUSH_SECONDS * 4)  # the cancelled timer commits nothing more

    run(both())
    assert parts.on_disk(a)["progress"] == 10.0 and parts.on_disk(b)["progress"] == 20.0
    assert parts.writer.commits == commits + 1


def test_concurrent_callers_share_commits(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, MAX_PENDING_JOBS_PER_NODE=1000))
    n = 200
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(n)]))]
    commits = parts.writer.commits

    async def caller(job_id: str) -> None:
        row = parts.jobs.active[job_id]
        row["stage_detail"] = "touched"
        parts.writer.stage_row(row)
        await parts.writer.commit()

    async def all_callers() -> None:
        await asyncio.gather(*(caller(j) for j in ids))

    run(all_callers())
    assert all(parts.on_disk(j)["stage_detail"] == "touched" for j in ids)
    # 200 callers arriving together: one batch (the first turn of the loop gathers them all).
    assert parts.writer.commits - commits < 5, parts.writer.commits - commits
    assert parts.writer.committed_changes >= 2 * n


def test_deleting_a_row_that_never_reached_the_file(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    kept = _row(parts, 1)["job_id"]

    async def create_and_delete() -> str:
        row = dict(parts.jobs.active[kept], job_id="node-u-never-committed", seq=99)
        parts.writer.stage_row(row, new=True)
        parts.writer.stage_delete(row["job_id"])  # staged insert dropped: no DELETE needed
        parts.writer.stage_delete(kept)
        await parts.writer.commit()
        return row["job_id"]

    never = run(create_and_delete())
    assert not parts.in_file(never) and not parts.in_file(kept)
    assert parts.db.events(kept) == []


def test_meta_values_are_committed(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    parts.writer.stage_meta("maintenance", "1")
    run(parts.writer.flush())
    parts = parts.crash()
    assert parts.db.get_meta("maintenance") == "1"


def test_flush_with_nothing_staged_commits_nothing(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    run(parts.writer.flush())
    assert parts.writer.commits == 0


def test_commit_now_needs_no_event_loop_and_counts_no_commit(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    db = JobDB(settings.db_path("node-w"))
    writer = Writer(db, "node-w")
    writer.stage_meta("k", "v")
    writer.commit_now()
    assert db.get_meta("k") == "v" and not writer.staged() and writer.commits == 0


def test_wait_change_wakes_on_a_change_and_times_out_without_one(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))

    async def waits() -> tuple[float, float]:
        t0 = time.monotonic()
        await parts.writer.wait_change(0.2)
        quiet = time.monotonic() - t0
        waiter = asyncio.ensure_future(parts.writer.wait_change(5.0))
        await asyncio.sleep(0.05)
        t1 = time.monotonic()
        parts.writer.stage_meta("k", "v")
        parts.writer.commit_later()
        await waiter
        return quiet, time.monotonic() - t1

    quiet, woken = run(waits())
    assert quiet >= 0.2 and woken < 1.0
