"""GET /jobs/{id} through Serve while the box is busy (issue #15 part 5).

Three states, each measured with the workers' pipeline at Ray's niceness (WORKER_NICE=0, the
baseline: every actor, the ingress and the store included, runs at niceness 15) and lowered below
it (WORKER_NICE=10, the default), in the same run:
- idle: nothing queued;
- 2 workers busy: two long 720p ads being classified (full-video scan);
- 500-job batch: 500 short ads queued and being worked through.

Usage: python -m benchmarks.latency [--gets 400]"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import ray  # noqa: E402
from _common import pct, report, timed_gets  # noqa: E402
from ray import serve  # noqa: E402

from adclf.api.deployment import build_app  # noqa: E402

PORT = 8766



def wait_final(c: httpx.Client, job_id: str, timeout: float = 600) -> None:
    deadline = time.time() + timeout
    while c.get(f"/jobs/{job_id}").json()["status"] not in ("completed", "failed"):
        if time.time() > deadline:
            raise TimeoutError(job_id)
        time.sleep(0.5)


def busy_workers(c: httpx.Client) -> int:
    body = c.get("/cluster/nodes").json()
    views: list[dict[str, Any]] = body.get("node_views") if isinstance(body, dict) else body
    return sum(int(v.get("processing") or 0) for v in views or [])


def run(nice: int, tmp: Path, short_ad: Path, long_ad: Path, gets: int) -> dict[str, list[float]]:
    serve.run(build_app({"DATA_DIR": str(tmp / f"data-{nice}"),
                         "ALLOWED_FOLDER_ROOTS": [str(short_ad.parent)],
                         "WORKERS_PER_NODE": 2, "WORKER_NICE": nice, "CLEANUP_ENABLED": False}),
              name="adclf", route_prefix="/")
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as c:
        while c.get("/health").status_code != 200:
            time.sleep(0.5)
        job = c.post("/jobs/by-filepath", json={"file_path": str(short_ad)}).json()["job_id"]
        wait_final(c, job)
        time.sleep(5)  # both workers warmed up (they warm while the first job runs)
        path = f"/jobs/{job}"
        timed_gets(c, path, 50)
        out["idle"] = timed_gets(c, path, gets)

        long_jobs = [c.post("/jobs/by-filepath", json={
            "file_path": str(long_ad), "settings": {"scan_mode": "Full Video"}}).json()["job_id"]
            for _ in range(4)]
        while busy_workers(c) < 2:
            time.sleep(0.2)
        out["2 workers busy"] = timed_gets(c, path, gets)
        c.post("/jobs/bulk-delete", json={"job_ids": long_jobs})

        batch = c.post("/jobs/by-folder", json={"folder_path": str(short_ad.parent / "batch")})
        assert batch.status_code == 200, batch.text
        while busy_workers(c) < 2:
            time.sleep(0.2)
        out["500-job batch running"] = timed_gets(c, path, gets)
        ids = [j["job_id"] for j in batch.json()]
        c.post("/jobs/bulk-delete", json={"job_ids": ids})
    serve.delete("adclf")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gets", type=int, default=400)
    args = parser.parse_args()
    from videos import simple_ad

    tmp = Path(tempfile.mkdtemp(prefix="adclf-latency-"))
    roots = tmp / "roots"
    short_ad = simple_ad(roots / "short.mp4", brand="NIKE", domain="nike.com", seconds=4)
    long_ad = simple_ad(roots / "long.mp4", brand="CANON", domain="canon.com", seconds=30,
                        size=(1280, 720))
    batch = roots / "batch"
    batch.mkdir()
    for i in range(500):
        (batch / f"ad-{i:03}.mp4").hardlink_to(short_ad)
    ray.init(address="local", include_dashboard=False, log_to_driver=False)
    serve.start(http_options={"host": "127.0.0.1", "port": PORT})
    results = {nice: run(nice, tmp, short_ad, long_ad, args.gets) for nice in (0, 10)}
    print(f"GET /jobs/{{id}} through Serve, {args.gets} requests per state, 2 workers, "
          "2-core box")
    for state in results[0]:
        for nice in (0, 10):
            label = "baseline WORKER_NICE=0" if nice == 0 else "WORKER_NICE=10"
            p50, p99 = pct(results[nice][state], 50), pct(results[nice][state], 99)
            report(f"{state}: p50 ({label})", p50, "ms", "<= 10 ms", p50 <= 10)
            report(f"{state}: p99 ({label})", p99, "ms", "-", True)
    serve.shutdown()
    ray.shutdown()


if __name__ == "__main__":
    main()
