"""The JobStore actor on a real local Ray with a real DuckDB file: the façade's wiring, what
survives a real restart of the actor process, and concurrency through Ray. The parts' own logic
is tested without Ray in test_store_writer, test_store_queue, test_store_queries and
test_store_files."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from pathlib import Path

import duckdb
import pytest
import ray

from adclf.cluster.nodes import JobStoreActor
from adclf.config import Settings


def make_store(tmp_path: Path, node: str, **overrides: object):
    settings = Settings(DATA_DIR=tmp_path, CLEANUP_ENABLED=False, **overrides)  # type: ignore[arg-type]
    handle = JobStoreActor.options(name=f"test-store-{node}", namespace="adclf-tests",
                                   max_restarts=-1, num_cpus=0, max_concurrency=1000
                                   ).remote(node, settings)
    return handle, settings


def _open_when_released(path: Path) -> duckdb.DuckDBPyConnection:
    # ray.kill returns before the actor process has exited and dropped its file lock.
    deadline = time.monotonic() + 20
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def spec(i: int = 0) -> dict:
    return {"mode": "pipeline", "source_kind": "file", "source": f"/videos/{i}.mp4",
            "settings": {"scan_mode": "Tail Only"}}


def test_create_claim_complete_roundtrip(ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t1")
    rows = ray.get(store.create_jobs.remote([spec(1), spec(2)]))
    assert [r["status"] for r in rows] == ["queued", "queued"]
    assert all(r["job_id"].startswith("node-t1-") for r in rows)
    first = ray.get(store.claim.remote("w0", 0.0))
    assert first["job_id"] == rows[0]["job_id"] and first["status"] == "processing"
    assert first["attempts"] == 1
    assert ray.get(store.update_stage.remote(first["job_id"], "w0", "ocr", "reading", 40.0))
    assert not ray.get(store.update_stage.remote(first["job_id"], "other", "ocr", "x", 50.0))
    result = {"brand": "NIKE", "category_name": "Footwear", "confidence": 0.9}
    assert ray.get(store.complete.remote(first["job_id"], "w0", result, {"attempts": []},
                                         {"frames": []}))
    done = ray.get(store.get.remote(first["job_id"]))
    assert done["status"] == "completed" and done["brand"] == "NIKE" and done["progress"] == 100
    events = ray.get(store.events.remote(first["job_id"]))
    assert [e["stage"] for e in events][:3] == ["queued", "claim", "ocr"]
    # What the actor acknowledged is in the DuckDB file.
    ray.kill(store)
    con = _open_when_released(tmp_path / "node-t1.duckdb")
    got = con.execute("SELECT status, brand FROM jobs WHERE job_id = ?",
                      [first["job_id"]]).fetchone()
    assert got == ("completed", "NIKE")
    con.close()


def test_claim_and_long_poll_wait_in_the_actor_loop(ray_session: None, tmp_path: Path) -> None:
    # The parts' events are made in __init__, outside the actor's event loop: waits must work.
    store, _ = make_store(tmp_path, "node-t2")
    waiting = store.claim.remote("w0", 5.0)
    # An async actor does not keep the order of calls: until the claim is seen waiting, the
    # create below could run first and the claim take the job during its commit, so the row
    # it returns would already be "processing" and the poll would have nothing to wait for.
    deadline = time.monotonic() + 20
    while ray.get(store.stats.remote())["workers_active"] < 1:
        assert time.monotonic() < deadline, "the claim never reached the store"
        time.sleep(0.05)
    row = ray.get(store.create_jobs.remote([spec()]))[0]
    assert row["status"] == "queued"
    polling = store.wait_change.remote(row["job_id"], row["updated_at"], 5.0)
    t0 = time.monotonic()
    got = ray.get(waiting)
    assert got is not None and time.monotonic() - t0 < 3
    changed = ray.get(polling)
    assert changed["status"] == "processing" and time.monotonic() - t0 < 3
    assert ray.get(store.claim.remote("w1", 0.2)) is None
    ray.kill(store)


def test_the_reaper_runs_in_the_actor(ray_session: None, tmp_path: Path) -> None:
    # The full re-queue / give-up sequence is in test_store_queue; here: the actor starts it.
    store, _ = make_store(tmp_path, "node-t3", LEASE_SECONDS=1.0)
    job_id = ray.get(store.create_jobs.remote([spec()]))[0]["job_id"]
    assert ray.get(store.claim.remote("w0", 0.0))["job_id"] == job_id
    assert ray.get(store.heartbeat.remote(job_id, "w0"))
    time.sleep(2.5)  # no more heartbeats
    row = ray.get(store.get.remote(job_id))
    assert row["status"] == "re-queued" and "lease expired" in row["stage_detail"], row
    assert not ray.get(store.heartbeat.remote(job_id, "w0"))
    ray.kill(store)


def test_restart_requeues_processing_and_loses_nothing(ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t5")
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(i) for i in range(5)]))]
    claimed = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    finished = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    ray.get(store.complete.remote(finished, "w0", {"brand": "B"}, None, None))
    ray.get(store.set_maintenance.remote(True))
    rows = _restart_and_get(store, ids)
    assert set(rows) == set(ids)
    assert rows[finished]["status"] == "completed" and rows[finished]["brand"] == "B"
    assert rows[claimed]["status"] == "re-queued"
    assert "restarted" in rows[claimed]["stage_detail"]
    assert sum(r["status"] == "queued" for r in rows.values()) == 3
    assert ray.get(store.stats.remote())["maintenance"] is True
    # The re-queued job is claimable again, first in line.
    assert ray.get(store.claim.remote("w9", 0.0))["job_id"] in (claimed, *ids)
    ray.kill(store)


def _restart_and_get(store, ids: list[str]) -> dict[str, dict]:
    """Kill the store (Ray restarts it; state comes back from DuckDB) and read `ids` back."""
    old_pid = ray.get(store.ping.remote())["pid"]
    ray.kill(store, no_restart=False)
    deadline = time.monotonic() + 60
    while True:
        try:
            # ray.kill is asynchronous: only the restarted process counts.
            if ray.get(store.ping.remote(), timeout=5)["pid"] == old_pid:
                raise ray.exceptions.GetTimeoutError("old incarnation still answering")
            return {r["job_id"]: r for r in ray.get(store.get_many.remote(ids), timeout=5)}
        except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_a_claim_is_on_disk_before_the_worker_gets_it(ray_session: None,
                                                     tmp_path: Path) -> None:
    # No pause between the claim and the crash: the attempt must already be in the file, or a
    # job that crashes its node would re-run as attempt 1 for ever.
    store, _ = make_store(tmp_path, "node-t10")
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(1), spec(2)]))]
    claimed = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    rows = _restart_and_get(store, ids)
    assert rows[claimed]["status"] == "re-queued" and rows[claimed]["attempts"] == 1
    assert "attempt 1 of 3" in rows[claimed]["stage_detail"]
    other = next(j for j in ids if j != claimed)
    assert rows[other]["status"] == "queued" and rows[other]["attempts"] == 0
    ray.kill(store)


def test_progress_is_written_behind_without_a_durable_call(ray_session: None,
                                                           tmp_path: Path) -> None:
    # A stage report is answered before it is committed; the write-behind timer must still get
    # it into the file on its own.
    store, _ = make_store(tmp_path, "node-t12")
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(1)]))]
    claimed = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    assert ray.get(store.update_stage.remote(claimed, "w0", "ocr", "reading", 40.0))
    time.sleep(1.0)
    _restart_and_get(store, ids)
    events = [e["stage"] for e in ray.get(store.events.remote(claimed))]
    assert events[:3] == ["queued", "claim", "ocr"]
    ray.kill(store)


def test_a_job_that_crashes_the_store_every_time_fails_after_max_attempts(
        ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t13", MAX_ATTEMPTS=3)
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(1), spec(2)]))]
    poison = ids[0]
    for attempt in range(1, 4):
        got = ray.get(store.claim.remote(f"w{attempt}", 0.0))
        assert got["job_id"] == poison and got["attempts"] == attempt
        rows = _restart_and_get(store, ids)  # the crash, right after the claim
    assert rows[poison]["status"] == "failed", rows[poison]
    assert "gave up after 3 attempts" in rows[poison]["error"]
    assert "crashed" in rows[poison]["error"]
    # The other job was never touched and is the next one given out.
    assert rows[ids[1]]["status"] == "queued" and rows[ids[1]]["attempts"] == 0
    nxt = ray.get(store.claim.remote("w9", 0.0))
    assert nxt["job_id"] == ids[1]
    ray.kill(store)


def test_complete_and_claim_hands_over_the_next_job(ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t11")
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(1), spec(2)]))]
    first = ray.get(store.claim.remote("w0", 0.0))
    got = ray.get(store.complete_and_claim.remote(first["job_id"], "w0", {"brand": "A"}, None,
                                                  None))
    assert got["completed"] and got["next"]["job_id"] == ids[1]
    assert got["next"]["status"] == "processing" and got["next"]["source"] == "/videos/2.mp4"
    # Not the owner: nothing recorded, but an idle worker still gets work if there is any.
    stranger = ray.get(store.complete_and_claim.remote(ids[1], "w9", {"brand": "X"}, None, None))
    assert stranger == {"completed": False, "next": None}
    last = ray.get(store.complete_and_claim.remote(ids[1], "w0", {"brand": "B"}, None, None))
    assert last == {"completed": True, "next": None}
    rows = {r["job_id"]: r for r in ray.get(store.get_many.remote(ids))}
    assert [rows[j]["brand"] for j in ids] == ["A", "B"]
    assert all(rows[j]["status"] == "completed" for j in ids)
    # Finished rows are served from memory: a delete must still make them disappear.
    assert ray.get(store.delete.remote([ids[0]]))["deleted"] == [ids[0]]
    assert ray.get(store.get.remote(ids[0])) is None
    assert ray.get(store.get.remote(ids[1]))["brand"] == "B"
    ray.kill(store)


def test_delete_aborts_running_job_and_removes_files(ray_session: None, tmp_path: Path) -> None:
    store, settings = make_store(tmp_path, "node-t6")
    job_id = ray.get(store.create_jobs.remote([spec()]))[0]["job_id"]
    ray.get(store.claim.remote("w0", 0.0))
    art = settings.artifacts_dir / job_id / "frames"
    art.mkdir(parents=True)
    (art / "frame_000.jpg").write_bytes(b"x")
    got = ray.get(store.delete.remote([job_id, "node-t6-missing"]))
    assert got == {"deleted": [job_id], "not_found": ["node-t6-missing"]}
    assert not (settings.artifacts_dir / job_id).exists()
    assert not ray.get(store.heartbeat.remote(job_id, "w0"))
    assert not ray.get(store.update_stage.remote(job_id, "w0", "ocr", "", None))
    assert ray.get(store.get.remote(job_id)) is None
    ray.kill(store)


def test_ttl_cleanup_removes_old_jobs(ray_session: None, tmp_path: Path) -> None:
    # Orphans and event trimming: test_store_files.
    store, settings = make_store(tmp_path, "node-t7", JOB_TTL_DAYS=0.00001)  # ~0.9 s
    rows = ray.get(store.create_jobs.remote([spec(1), spec(2)]))
    old, active = rows[0]["job_id"], rows[1]["job_id"]
    ray.get(store.claim.remote("w0", 0.0))
    ray.get(store.complete.remote(old, "w0", {"brand": "B"}, None, None))
    (settings.artifacts_dir / old).mkdir(parents=True)
    time.sleep(1.5)
    report = ray.get(store.cleanup.remote())
    assert report["jobs_removed"] == [old]
    assert not (settings.artifacts_dir / old).exists()
    assert ray.get(store.get.remote(old)) is None
    assert ray.get(store.get.remote(active))["status"] == "queued"
    ray.kill(store)


def test_uploads_file_serving_and_export(ray_session: None, tmp_path: Path) -> None:
    store, settings = make_store(tmp_path, "node-t14")
    assert ray.get(store.local_upload_dir.remote()) == str(settings.upload_dir / "node-t14")
    token = ray.get(store.upload_open.remote(".mp4"))
    assert ray.get(store.upload_append.remote(token, b"video bytes")) == 11
    path = ray.get(store.upload_close.remote(token))
    job_id = ray.get(store.create_jobs.remote([{"mode": "pipeline", "source_kind": "upload",
                                                "source": path, "original_name": "ad.mp4"}]
                                              ))[0]["job_id"]
    assert ray.get(store.file_info.remote(job_id, "video")) == {"size": 11,
                                                               "name": Path(path).name}
    assert ray.get(store.read_file.remote(job_id, "video", 6, 100)) == b"bytes"
    assert ray.get(store.read_file.remote(job_id, "../../etc/passwd")) is None
    assert ray.get(store.file_info.remote("node-t14-missing", "video")) is None
    assert job_id.encode() in ray.get(store.export_bytes.remote("csv"))
    assert ray.get(store.delete.remote([job_id]))["deleted"] == [job_id]
    assert not Path(path).exists()  # the upload goes with its job
    ray.kill(store)


def test_concurrent_workers_are_group_committed(ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t8")
    n = 300
    ray.get(store.create_jobs.remote([spec(i) for i in range(n)]))

    async def worker(k: int) -> list[str]:
        done: list[str] = []
        while True:
            row = await store.claim.remote(f"w{k}", 0.0)
            if row is None:
                return done
            await store.complete.remote(row["job_id"], f"w{k}", {"brand": "B"}, None, None)
            done.append(row["job_id"])

    async def run() -> list[list[str]]:
        return await asyncio.gather(*(worker(k) for k in range(8)))

    # A fresh thread has no running event loop whatever other test plugins left behind.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, run()).result()
    all_ids = [j for part in results for j in part]
    assert len(all_ids) == n and len(set(all_ids)) == n  # each job claimed exactly once
    stats = ray.get(store.stats.remote())
    assert stats["jobs_completed"] == n and stats["jobs_queued"] == 0
    # 300 completions (and 300 claims) from 8 concurrent callers share commits.
    assert stats["commits"] < n, stats
    ray.kill(store)


def test_pending_limit(ray_session: None, tmp_path: Path) -> None:
    store, _ = make_store(tmp_path, "node-t9", MAX_PENDING_JOBS_PER_NODE=3)
    ray.get(store.create_jobs.remote([spec(i) for i in range(3)]))
    with pytest.raises(ray.exceptions.RayTaskError) as err:
        ray.get(store.create_jobs.remote([spec(9)]))
    # StoreClient turns this cause into TooMany (HTTP 429).
    assert isinstance(err.value.cause, OverflowError)
    assert "pending jobs" in str(err.value)
    ray.kill(store)


def _peek(store, job_id: str) -> dict | None:
    # As StoreClient.get calls it: in the actor's "reads" group, not on its main loop.
    return ray.get(store.peek.options(concurrency_group="reads").remote(job_id), timeout=30)


def test_polls_read_the_same_rows_from_their_own_group(ray_session: None,
                                                       tmp_path: Path) -> None:
    """peek (the poll path) answers what get answers for a queued, a running, a finished and a
    deleted job, and, after a restart, for a finished job only in the DuckDB file (its cursor)."""
    store, _ = make_store(tmp_path, "node-t12")
    ids = [r["job_id"] for r in ray.get(store.create_jobs.remote([spec(i) for i in range(3)]))]
    running = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    ray.get(store.update_stage.remote(running, "w0", "ocr", "reading", 40.0))
    done = ray.get(store.claim.remote("w0", 0.0))["job_id"]
    ray.get(store.complete.remote(done, "w0", {"brand": "B"}, None, None))
    for job_id in ids:
        assert _peek(store, job_id) == ray.get(store.get.remote(job_id))
    assert _peek(store, running)["stage"] == "ocr"
    assert _peek(store, done)["brand"] == "B"
    queued = next(j for j in ids if j not in (running, done))
    ray.get(store.delete.remote([queued]))
    assert _peek(store, queued) is None
    assert _peek(store, "node-t12-nope") is None
    _restart_and_get(store, [done])
    from_file = _peek(store, done)
    assert from_file is not None and from_file["status"] == "completed"
    assert from_file == ray.get(store.get.remote(done))
    ray.kill(store)
