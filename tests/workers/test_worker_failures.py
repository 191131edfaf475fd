"""Workers that die mid-job: the lease brings the job back and it completes."""

from __future__ import annotations

import re
import time
from pathlib import Path

import ray
from support import LiveServer
from videos import simple_ad


def test_killed_worker_job_is_requeued_and_completes(live_server: LiveServer) -> None:
    ad = simple_ad(live_server.roots / "kill-me.mp4", brand="CANON", domain="canon.com",
                   seconds=20)
    with live_server.client() as c:
        job_id = c.post("/jobs/by-filepath", json={
            "file_path": str(ad), "settings": {"scan_mode": "Full Video"}}).json()["job_id"]
        job = live_server.wait_job(job_id, until=("processing",), timeout=120)
        holder = re.search(r"node-a-w(\d+)", job["stage_detail"] or "")
        if holder is None:
            events = c.get(f"/jobs/{job_id}/events").json()["entries"]
            holder = re.search(r"node-a-w(\d+)", " ".join(e["message"] for e in events))
        assert holder, job
        worker = ray.get_actor(f"adclf-worker-node-a-{holder.group(1)}", namespace="adclf")
        ray.kill(worker, no_restart=False)
        t_killed = time.monotonic()
        done = live_server.wait_job(job_id, timeout=240)
        assert done["status"] == "completed", done
        assert done["attempts"] == 2
        assert (done["brand"] or "").upper() == "CANON"
        messages = " ".join(e["message"]
                            for e in c.get(f"/jobs/{job_id}/events").json()["entries"])
        assert "lease expired" in messages
        assert time.monotonic() - t_killed < 240


def test_corrupt_file_fails_with_reason_and_other_jobs_complete(live_server: LiveServer,
                                                               sample_ad: Path) -> None:
    bad = live_server.roots / "corrupt.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 1000)
    empty = live_server.roots / "empty.mp4"
    empty.write_bytes(b"")
    with live_server.client() as c:
        ids = [c.post("/jobs/by-filepath", json={"file_path": str(p)}).json()["job_id"]
               for p in (bad, empty, sample_ad)]
    results = [live_server.wait_job(j) for j in ids]
    assert results[0]["status"] == "failed" and results[0]["error"]
    assert results[1]["status"] == "failed" and "empty" in results[1]["error"].lower()
    assert results[2]["status"] == "completed"
    # Deterministic failures are not retried.
    assert results[0]["attempts"] == 1 and results[1]["attempts"] == 1


def test_poison_job_that_crashes_its_node_every_time_fails_and_others_complete(
        live_server: LiveServer) -> None:
    """Each time the poison job is running, the node's workers and its job store are killed
    together (what a video that crashes the node does). The attempt count must survive each
    crash, so the job ends failed after MAX_ATTEMPTS with a reason; the jobs finished before
    live through the store's restarts, and a job sent after the crashes completes.

    All workers die each time, as on a real node crash: restarted workers warm their models
    before they claim again, so the next attempt cannot run to its end while this test is still
    waiting for the restarted store to answer.

    Nothing else runs while the poison does: a job that runs through three node crashes rightly
    fails too, and a good job beside the poison let the poison's short attempt end unkilled
    while the test waited for the good one (fresh clone, 2026-12-03). That queued jobs survive a
    store restart is tests/store's test_restart_requeues_processing_and_loses_nothing."""
    poison_ad = simple_ad(live_server.roots / "poison.mp4", brand="VOLVO", domain="volvo.com",
                          seconds=120)
    good_ad = simple_ad(live_server.roots / "after-poison.mp4", brand="FILA", domain="fila.com")
    store = ray.get_actor("adclf-store-node-a", namespace="adclf")
    with live_server.client() as c:
        before = [c.post("/jobs/by-filepath", json={"file_path": str(good_ad)}).json()["job_id"]
                  for _ in range(2)]
        assert all(live_server.wait_job(j, timeout=240)["status"] == "completed"
                   for j in before)
        poison = c.post("/jobs/by-filepath", json={
            "file_path": str(poison_ad), "settings": {"scan_mode": "Full Video"}}).json()["job_id"]
        crashes = killed_attempt = 0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            r = c.get(f"/jobs/{poison}")
            job = r.json() if r.status_code == 200 else {}
            if job.get("status") in ("failed", "completed"):
                break
            # Past the claim stage the worker is running the pipeline on its work order.
            # (An attempt is killed once: the old store process may answer for a moment.)
            if job.get("status") == "processing" and job.get("stage") not in ("queued", "claim") \
                    and job["attempts"] > killed_attempt:
                old_pid = ray.get(store.ping.remote())["pid"]
                for worker in _node_a_workers():
                    ray.kill(worker, no_restart=False)
                ray.kill(store, no_restart=False)
                crashes += 1
                killed_attempt = job["attempts"]
                _wait_new_store(store, old_pid, deadline)
            time.sleep(0.05)
        done = live_server.wait_job(poison, timeout=60)
        assert done["status"] == "failed", done
        assert crashes == 3 and done["attempts"] == 3, (crashes, done)
        assert "gave up after 3 attempts" in done["error"] and "crash" in done["error"], done
        after = c.post("/jobs/by-filepath", json={"file_path": str(good_ad)}).json()["job_id"]
    finished = [live_server.wait_job(j, timeout=240) for j in [*before, after]]
    assert all(j["status"] == "completed" for j in finished), finished
    assert all((j["brand"] or "").upper() == "FILA" for j in finished), finished


def _wait_new_store(store: ray.actor.ActorHandle, old_pid: int, deadline: float) -> None:
    """Until the job store answers from a new process (ray.kill is asynchronous)."""
    while time.monotonic() < deadline:
        try:
            if ray.get(store.ping.remote(), timeout=5)["pid"] != old_pid:
                return
        except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
            time.sleep(0.3)


def _node_a_workers() -> list[ray.actor.ActorHandle]:
    found = []
    for index in range(64):
        try:
            found.append(ray.get_actor(f"adclf-worker-node-a-{index}", namespace="adclf"))
        except ValueError:
            break
    assert found, "no worker actors on node-a"
    return found
