"""The node's model actor under the real Serve app: it serves the workers' models, reports its
device, and when it is killed in the middle of a batch of jobs every job still completes, on
its first attempt (the workers' model calls were retried, not the jobs)."""

from __future__ import annotations

import time

import ray
from support import LiveServer
from videos import simple_ad

from adclf.store.client import NAMESPACE

BRANDS = [("CANON", "canon.com"), ("VOLVO", "volvo.com"), ("FILA", "fila.com"),
          ("LEGO", "lego.com"), ("NIKE", "nike.com"), ("ROLEX", "rolex.com")]
MODEL_STAGES = ("ocr", "logos", "asr", "classify", "map")


def _models() -> ray.actor.ActorHandle:
    return ray.get_actor("adclf-models-node-a", namespace=NAMESPACE)


def test_device_diagnostics_name_the_model_actors_device(live_server: LiveServer) -> None:
    with live_server.client(timeout=90) as c:
        node = c.get("/diagnostics/device").json()["nodes"]["node-a"]
    actor = node["model_actor"]
    assert actor["device"] == "cpu" and actor["reason"] == "no GPU on this node", actor
    assert actor["ocr_provider"] == "CPUExecutionProvider"


def test_workers_use_the_node_model_actor(live_server: LiveServer, sample_ad) -> None:  # type: ignore[no-untyped-def]
    before = ray.get(_models().stats.remote())["ocr"]["items"]
    with live_server.client() as c:
        job_id = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}).json()["job_id"]
    job = live_server.wait_job(job_id, timeout=240)
    assert job["status"] == "completed" and (job["brand"] or "").upper() == "NIKE", job
    assert ray.get(_models().stats.remote())["ocr"]["items"] > before
    worker = ray.get_actor("adclf-worker-node-a-0", namespace=NAMESPACE)
    assert ray.get(worker.status.remote())["model_actor"] is True


def test_killing_the_model_actor_mid_batch_every_job_completes(live_server: LiveServer) -> None:
    ads = [simple_ad(live_server.roots / f"models-kill-{i}.mp4", brand=b, domain=d, seconds=8)
           for i, (b, d) in enumerate(BRANDS)]
    models = _models()
    old_pid = ray.get(models.stats.remote())["pid"]
    with live_server.client() as c:
        ids = [c.post("/jobs/by-filepath", json={"file_path": str(p)}).json()["job_id"]
               for p in ads]
        deadline = time.monotonic() + 240
        # kill it while a worker is inside a model stage of one of the jobs
        while True:
            assert time.monotonic() < deadline, "no job reached a model stage"
            jobs = [c.get(f"/jobs/{j}").json() for j in ids]
            if any(j["status"] == "processing" and j["stage"] in MODEL_STAGES for j in jobs):
                break
            time.sleep(0.1)
    ray.kill(models, no_restart=False)
    done = [live_server.wait_job(j, timeout=420) for j in ids]
    assert [j["status"] for j in done] == ["completed"] * len(ids), done
    assert [(j["brand"] or "").upper() for j in done] == [b for b, _ in BRANDS], done
    # no job went back to the queue: the workers' lost model calls were sent again instead
    assert [j["attempts"] for j in done] == [1] * len(ids), done
    assert ray.get(_models().stats.remote(), timeout=120)["pid"] != old_pid
