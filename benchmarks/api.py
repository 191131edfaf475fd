"""The Serve app on loopback: GET /jobs/{id} latency, one POST with 1,000 URLs, resident memory.

Baselines in the same run: GET /health through the same proxy (it pings the store actor too, so it
is the floor for any route that reads the store), and a POST with one URL."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import psutil  # noqa: E402
import ray  # noqa: E402
from _common import pct, report, timed_gets  # noqa: E402
from ray import serve  # noqa: E402

from adclf.api.deployment import build_app  # noqa: E402

ROLES = {"ServeController": "serve controller", "ProxyActor": "serve proxy",
         "ServeReplica": "ingress replica", "JobStore": "job store", "Worker": "worker",
         # the default MODEL_ACTOR=node keeps the worker's models here: without it the total
         # left the models out
         "ModelActor": "model actor"}


def own_ray_processes() -> list[psutil.Process]:
    """Processes of this run's Ray only (other Ray sessions on the machine are left out)."""
    node = ray._private.worker._global_node  # noqa: SLF001 - no public API for the raylet pid
    raylet = node.all_processes["raylet"][0].process.pid
    return psutil.Process(raylet).children(recursive=True)


def rss_by_role() -> dict[str, float]:
    out: dict[str, float] = {}
    for proc in own_ray_processes():
        try:
            cmd = " ".join(proc.cmdline())
            rss = proc.memory_info().rss / 2**20
        except psutil.Error:
            continue
        for key, role in ROLES.items():
            if cmd.startswith(f"ray::{key}"):
                out[role] = out.get(role, 0.0) + rss
    return out



def main() -> None:
    from videos import simple_ad

    tmp = Path(tempfile.mkdtemp(prefix="adclf-bench-"))
    roots = tmp / "roots"
    roots.mkdir()
    ad = simple_ad(roots / "ad.mp4", brand="NIKE", domain="nike.com", seconds=4)
    ray.init(address="local", include_dashboard=False, log_to_driver=False)
    serve.start(http_options={"host": "127.0.0.1", "port": 8765})
    serve.run(build_app({"DATA_DIR": str(tmp / "data"), "ALLOWED_FOLDER_ROOTS": [str(roots)],
                         "WORKERS_PER_NODE": 1, "URL_ALLOW_PRIVATE": True,
                         "CLEANUP_ENABLED": False}), name="adclf", route_prefix="/")
    base = "http://127.0.0.1:8765"
    with httpx.Client(base_url=base, timeout=60) as c:
        while c.get("/health").status_code != 200:
            time.sleep(0.5)
        job_id = c.post("/jobs/by-filepath", json={"file_path": str(ad)}).json()["job_id"]
        while c.get(f"/jobs/{job_id}").json()["status"] not in ("completed", "failed"):
            time.sleep(0.5)
        timed_gets(c, f"/jobs/{job_id}", 50)  # warm the connection and handles
        health = timed_gets(c, "/health", 500)
        gets = timed_gets(c, f"/jobs/{job_id}", 1000)
        t0 = time.perf_counter()
        r = c.post("/jobs/by-urls", json={"urls": ["http://127.0.0.1:9/one.mp4"]})
        one = time.perf_counter() - t0
        assert r.status_code == 200
        urls = [f"http://127.0.0.1:9/ad-{i}.mp4" for i in range(1000)]
        t0 = time.perf_counter()
        r = c.post("/jobs/by-urls", json={"urls": urls})
        thousand = time.perf_counter() - t0
        assert r.status_code == 200 and len(r.json()) == 1000, r.text[:200]
        mem = rss_by_role()
    print("API benchmark (Serve on loopback, 1 node, 1 worker)")
    report("baseline GET /health p50", statistics.median(health), "ms", "-", True)
    report("GET /jobs/{id} p50", pct(gets, 50), "ms", "<= 10 ms", pct(gets, 50) <= 10)
    report("GET /jobs/{id} p99", pct(gets, 99), "ms", "<= 50 ms", pct(gets, 99) <= 50)
    report("baseline POST /jobs/by-urls with 1 URL", one, "s", "-", True)
    report("POST /jobs/by-urls with 1,000 URLs", thousand, "s", "<= 2 s", thousand <= 2)
    for role, mb in sorted(mem.items()):
        report(f"RSS {role}", mb, "MB", "-", True)
    total = sum(mem.values()) / 1024
    report("RSS Serve + store + one worker + model actor", total, "GB", "<= 3 GB", total <= 3)
    serve.shutdown()
    ray.shutdown()


if __name__ == "__main__":
    main()
