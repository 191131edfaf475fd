"""The job queue (adclf.store.queue) without Ray, on a real DuckDB file: claims, leases, results,
retries and what a restarted store finds."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from store_parts import Parts, make_settings, run, spec


def test_create_claim_stage_complete(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    rows = run(parts.jobs.create([spec(1), spec(2)]))
    assert [r["status"] for r in rows] == ["queued", "queued"]
    assert all(r["job_id"].startswith("node-u-") for r in rows)
    assert [r["seq"] for r in rows] == [1, 2]
    assert all(parts.on_disk(r["job_id"])["status"] == "queued" for r in rows)  # durable
    first = parts.claim("w0")
    assert first["job_id"] == rows[0]["job_id"] and first["status"] == "processing"
    assert first["attempts"] == 1 and first["source"] == "/videos/1.mp4"
    assert "result" not in first  # a work order, not the whole row
    assert "w0" in parts.jobs.workers_seen

    async def progress() -> tuple[bool, bool]:
        return (parts.jobs.update_stage(first["job_id"], "w0", "ocr", "reading", 40.0),
                parts.jobs.update_stage(first["job_id"], "other", "ocr", "x", 50.0))

    assert run(progress()) == (True, False)
    assert parts.jobs.active[first["job_id"]]["progress"] == 40.0
    result = {"brand": "NIKE", "category_name": "Footwear", "confidence": 0.9}
    assert run(parts.jobs.complete(first["job_id"], "w0", result, {"attempts": []},
                                   {"frames": []}))
    assert first["job_id"] not in parts.jobs.active and first["job_id"] in parts.jobs.recent
    done = parts.on_disk(first["job_id"])
    assert done["status"] == "completed" and done["brand"] == "NIKE" and done["progress"] == 100
    assert [e["stage"] for e in parts.db.events(first["job_id"])][:3] == ["queued", "claim", "ocr"]


def test_claim_waits_for_new_work(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))

    async def scenario() -> tuple[dict | None, float, dict | None]:
        waiting = asyncio.ensure_future(parts.jobs.claim("w0", 5.0))
        await asyncio.sleep(0.3)
        t0 = time.monotonic()
        await parts.jobs.create([spec()])
        got = await waiting
        return got, time.monotonic() - t0, await parts.jobs.claim("w1", 0.2)

    got, waited, nothing = run(scenario())
    assert got is not None and waited < 1.0
    assert nothing is None


def test_expired_lease_requeues_then_fails_after_max_attempts(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, LEASE_SECONDS=1.0, MAX_ATTEMPTS=2))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]
    assert parts.claim("w0")["job_id"] == job_id
    assert run(parts.jobs.reap()) == []  # the lease still runs
    time.sleep(1.1)  # no heartbeat
    assert run(parts.jobs.reap()) == [job_id]
    row = parts.on_disk(job_id)
    assert row["status"] == "re-queued", row
    again = parts.claim("w1", 1.0)
    assert again["job_id"] == job_id and again["attempts"] == 2
    time.sleep(1.1)
    run(parts.jobs.reap())
    row = parts.on_disk(job_id)
    assert row["status"] == "failed"
    assert "lease expired" in row["error"] and "gave up after 2 attempts" in row["error"]
    # The old worker's late report is refused.
    assert not run(parts.jobs.complete(job_id, "w1", {"brand": "x"}, None, None))


def test_the_reaper_loop_runs_passes(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, LEASE_SECONDS=1.0))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]

    async def scenario() -> str:
        await parts.jobs.claim("w0")
        reaper = asyncio.ensure_future(parts.jobs.reaper())
        await asyncio.sleep(1.8)
        reaper.cancel()
        return parts.jobs.active[job_id]["status"]

    assert run(scenario()) == "re-queued"


def test_heartbeat_keeps_the_lease_and_only_for_its_owner(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, LEASE_SECONDS=1.0))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]
    parts.claim("w0")
    for _ in range(4):
        assert parts.jobs.heartbeat(job_id, "w0")
        time.sleep(0.4)
        assert run(parts.jobs.reap()) == []
    assert not parts.jobs.heartbeat(job_id, "w1")
    assert parts.jobs.active[job_id]["status"] == "processing"


def test_complete_and_claim_hands_over_the_next_job(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(1), spec(2)]))]
    first = parts.claim("w0")
    commits = parts.writer.commits
    got = run(parts.jobs.complete_and_claim(first["job_id"], "w0", {"brand": "A"}, None, None))
    assert parts.writer.commits == commits + 1  # the result and the next claim together
    assert got["completed"] and got["next"]["job_id"] == ids[1]
    assert got["next"]["status"] == "processing" and got["next"]["source"] == "/videos/2.mp4"
    assert parts.on_disk(ids[1])["attempts"] == 1
    # Not the owner: nothing recorded, but an idle worker still gets work if there is any.
    stranger = run(parts.jobs.complete_and_claim(ids[1], "w9", {"brand": "X"}, None, None))
    assert stranger == {"completed": False, "next": None}
    last = run(parts.jobs.complete_and_claim(ids[1], "w0", {"brand": "B"}, None, None))
    assert last == {"completed": True, "next": None}
    assert [parts.on_disk(j)["brand"] for j in ids] == ["A", "B"]


def test_fail_without_retry_is_final_and_with_retry_goes_first_in_line(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, MAX_ATTEMPTS=2))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(3)]))]
    a = parts.claim("w0")["job_id"]
    assert run(parts.jobs.fail(a, "w0", "not a video", artifacts={"frames": []}))
    row = parts.on_disk(a)
    assert row["status"] == "failed" and row["error"] == "not a video"
    assert row["artifacts"] == '{"frames": []}' and row["attempts"] == 1
    b = parts.claim("w0")["job_id"]
    assert run(parts.jobs.fail(b, "w0", "GPU out of memory", retry=True))
    assert parts.on_disk(b)["status"] == "re-queued"
    assert parts.claim("w1")["job_id"] == b  # ahead of ids[2]
    assert run(parts.jobs.fail(b, "w1", "GPU out of memory", retry=True))
    assert parts.on_disk(b)["error"] == "GPU out of memory (gave up after 2 attempts)"
    assert not run(parts.jobs.fail(b, "w1", "late", retry=True))
    assert parts.claim("w1")["job_id"] == ids[2]


def test_a_claim_is_on_disk_before_the_worker_gets_it(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(1), spec(2)]))]
    claimed = parts.claim("w0")["job_id"]
    parts = parts.crash()  # right after the claim, before any other call
    row = parts.on_disk(claimed)
    assert row["status"] == "re-queued" and row["attempts"] == 1
    assert "attempt 1 of 3" in row["stage_detail"]
    assert [e["stage"] for e in parts.db.events(claimed)] == ["queued", "claim", "queued"]
    other = next(j for j in ids if j != claimed)
    assert parts.on_disk(other)["status"] == "queued" and parts.on_disk(other)["attempts"] == 0
    assert list(parts.jobs.queue) == ids  # the re-queued job first, as it was created first
    assert parts.claim("w1")["job_id"] == claimed


def test_restart_requeues_processing_keeps_finished_and_loses_nothing(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(5)]))]
    claimed = parts.claim("w0")["job_id"]
    finished = parts.claim("w0")["job_id"]
    run(parts.jobs.complete(finished, "w0", {"brand": "B"}, None, None))
    parts = parts.crash()
    rows = {j: parts.on_disk(j) for j in ids}
    assert rows[finished]["status"] == "completed" and rows[finished]["brand"] == "B"
    assert rows[claimed]["status"] == "re-queued"
    assert "restarted" in rows[claimed]["stage_detail"]
    assert sum(r["status"] == "queued" for r in rows.values()) == 3
    assert set(parts.jobs.active) == set(ids) - {finished}
    assert parts.jobs.seq == 5
    assert run(parts.jobs.create([spec(9)]))[0]["seq"] == 6


def test_a_job_that_crashes_the_store_every_time_fails_after_max_attempts(
        tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, MAX_ATTEMPTS=3))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(1), spec(2)]))]
    poison = ids[0]
    for attempt in range(1, 4):
        got = parts.claim(f"w{attempt}")
        assert got["job_id"] == poison and got["attempts"] == attempt
        parts = parts.crash()  # the crash, right after the claim
    row = parts.on_disk(poison)
    assert row["status"] == "failed", row
    assert "gave up after 3 attempts" in row["error"] and "crashed" in row["error"]
    assert poison not in parts.jobs.active
    # The other job was never touched and is the next one given out.
    assert parts.on_disk(ids[1])["status"] == "queued" and parts.on_disk(ids[1])["attempts"] == 0
    assert parts.claim("w9")["job_id"] == ids[1]


def test_pending_limit(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, MAX_PENDING_JOBS_PER_NODE=3))
    run(parts.jobs.create([spec(i) for i in range(3)]))
    with pytest.raises(OverflowError, match="pending jobs"):
        run(parts.jobs.create([spec(9)]))
    assert len(parts.jobs.active) == 3 and parts.jobs.submitted_this_process == 3


def test_a_forgotten_job_refuses_its_worker(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]
    parts.claim("w0")
    parts.jobs.forget(job_id)
    assert not parts.jobs.heartbeat(job_id, "w0")
    assert not run(parts.jobs.complete(job_id, "w0", {"brand": "x"}, None, None))
    assert run(parts.jobs.claim("w0")) is None
