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
            events = c.get(f"/jobs/{job_id}/events").json()
            holder = re.search(r"node-a-w(\d+)", " ".join(e["message"] for e in events))
        assert holder, job
        worker = ray.get_actor(f"adclf-worker-node-a-{holder.group(1)}", namespace="adclf")
        ray.kill(worker, no_restart=False)
        t_killed = time.monotonic()
        done = live_server.wait_job(job_id, timeout=240)
        assert done["status"] == "completed", done
        assert done["attempts"] == 2
        assert (done["brand"] or "").upper() == "CANON"
        messages = " ".join(e["message"] for e in c.get(f"/jobs/{job_id}/events").json())
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
