"""What the cluster layer costs and how fast it routes around a dead node, on this machine.

1. Throughput of N short real ads (ffmpeg-made, 4 s, 640x360) with the same total number of
   workers: 1 Ray node x 2 workers versus 2 Ray nodes x 1 worker (ray.cluster_utils on one
   machine, so both use the same cores). The 2-node figure must stay within 10 % of the 1-node one.
2. A node SIGKILLed while it holds jobs: time until the first submission lands on another node,
   until GET of one of its jobs answers 503 "unavailable", and until Ray declares it dead.

    .venv/bin/python benchmarks/cluster.py [--jobs 12] [--rounds 2] [--trials 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "cluster"),
                str(ROOT / "benchmarks")]

import httpx  # noqa: E402
from _common import report  # noqa: E402
from cluster_harness import FAST_FAILURE_DETECTION, AdclfCluster, job_owner, wait_for  # noqa: E402
from videos import simple_ad  # noqa: E402

BRANDS = ["NIKE", "PUMA", "ADIDAS", "REEBOK", "FILA", "ASICS", "MIZUNO", "UMBRO"]


def settings(base: Path, workers: int) -> dict[str, Any]:
    return {"DATA_DIR": str(base / "data"), "ALLOWED_FOLDER_ROOTS": [str(base / "roots")],
            "WORKERS_PER_NODE": workers, "INGRESS_REPLICAS": 1, "LEASE_SECONDS": 10.0,
            "HEARTBEAT_SECONDS": 2.0, "CLEANUP_ENABLED": False, "LOG_LEVEL": "WARNING"}


def make_batch(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        brand = BRANDS[i % len(BRANDS)]
        simple_ad(folder / f"ad{i}.mp4", brand=brand, domain=f"{brand.lower()}.com", seconds=4)
    return folder


def run_batch(ac: AdclfCluster, folder: Path) -> tuple[float, dict[str, int], float]:
    """Seconds from the submission of a folder to the last job's completion, the spread over
    nodes, and the mean time a worker spent per job (claim to completion)."""
    t0 = time.perf_counter()
    with ac.client() as c:
        r = c.post("/jobs/by-folder", json={"folder_path": str(folder)})
        r.raise_for_status()
        ids = [j["job_id"] for j in r.json()]
    done = ac.wait_jobs(ids, timeout=900)
    elapsed = time.perf_counter() - t0
    failed = [j for j in done.values() if j["status"] != "completed"]
    if failed:
        raise SystemExit(f"{len(failed)} job(s) failed: {failed[0].get('error')}")
    spread: dict[str, int] = {}
    for job_id in ids:
        spread[job_owner(job_id)] = spread.get(job_owner(job_id), 0) + 1
    per_job = statistics.fmean(float(j["duration_seconds"]) for j in done.values())
    return elapsed, spread, per_job


def throughput(nodes: list[str], workers: int, shared: Path
               ) -> tuple[float, float, AdclfCluster]:
    """Jobs/min and worker seconds per job for one batch on a fresh cluster (left running)."""
    base = Path(tempfile.mkdtemp(prefix="adclf-bench-cluster-"))
    ac = AdclfCluster(base, settings(base, workers))
    try:
        ac.start(nodes)
        ac.deploy()
        ac.wait_workers(nodes, workers)
        folder = ac.roots / "batch"
        shutil.copytree(shared, folder)
        warm = ac.roots / "warm"
        warm.mkdir()
        for f in sorted(shared.iterdir())[: len(nodes) * workers]:
            shutil.copy(f, warm / f.name)
        run_batch(ac, warm)  # the first job per worker pays one-off model/page-cache costs
        load = os.getloadavg()[0]
        seconds, spread, per_job = run_batch(ac, folder)
    except BaseException:
        stop(ac)
        raise
    jobs = sum(spread.values())
    rate = jobs / seconds * 60
    print(f"  {len(nodes)} node(s) x {workers} worker(s): {jobs} jobs in {seconds:.1f} s = "
          f"{rate:.1f} jobs/min, {per_job:.2f} worker-s per job; per node {spread}; "
          f"load average {load:.1f}", flush=True)
    return rate, per_job, ac


def stop(ac: AdclfCluster) -> None:
    ac.shutdown()
    shutil.rmtree(ac.base, ignore_errors=True)


def failover(ac: AdclfCluster, spare: Path, trials: int) -> dict[str, list[float]]:
    """Kill node-b while it holds jobs; time the routing, the 503 and Ray's verdict."""
    out: dict[str, list[float]] = {"routed": [], "get_503": [], "ray_dead": [], "returned": []}
    for trial in range(trials):
        with ac.client(timeout=60) as c:
            ids = [c.post("/jobs/by-filepath", json={"file_path": str(spare)}).json()["job_id"]
                   for _ in range(4)]
            b_job = next(j for j in ids if job_owner(j) == "node-b")
            ac.kill_node("node-b")
            died = time.perf_counter()
            routed = get_503 = ray_dead = None
            while routed is None or get_503 is None or ray_dead is None:
                now = time.perf_counter() - died
                if now > 60:
                    raise SystemExit(f"trial {trial}: no failover after 60 s")
                if routed is None:
                    r = c.post("/jobs/by-filepath", json={"file_path": str(spare)})
                    if r.status_code == 200 and job_owner(r.json()["job_id"]) != "node-b":
                        routed = time.perf_counter() - died
                        ids.append(r.json()["job_id"])
                if get_503 is None:
                    r = c.get(f"/jobs/{b_job}")
                    if r.status_code == 503 and "unavailable" in r.json()["detail"]:
                        get_503 = time.perf_counter() - died
                if ray_dead is None and not ac.ray_alive("node-b"):
                    ray_dead = time.perf_counter() - died
                time.sleep(0.02)
        back = time.perf_counter()
        ac.add_node("node-b")
        probe = f"{ac.url}/jobs/{b_job}"
        wait_for("node-b's job store to answer again",
                 lambda probe=probe: httpx.get(probe, timeout=10).status_code == 200, 120)
        out["returned"].append(time.perf_counter() - back)
        ac.wait_workers(["node-a", "node-b"], 1)
        ac.wait_jobs(ids, timeout=600)
        out["routed"].append(routed)
        out["get_503"].append(get_503)
        out["ray_dead"].append(ray_dead)
        print(f"  trial {trial + 1}: first submission routed away {routed:.3f} s, GET 503 "
              f"{get_503:.3f} s, Ray declared it dead {ray_dead:.3f} s, back in "
              f"{out['returned'][-1]:.1f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=12, help="videos per measured batch")
    ap.add_argument("--rounds", type=int, default=2, help="batches per set-up")
    ap.add_argument("--trials", type=int, default=2, help="node kills in the failover part")
    args = ap.parse_args()

    shared = Path(tempfile.mkdtemp(prefix="adclf-bench-ads-"))
    make_batch(shared, args.jobs)
    print(f"throughput: {args.jobs} real 4 s ads per batch; the two set-ups alternate, "
          f"{args.rounds} round(s), each on a fresh cluster", flush=True)
    ones: list[float] = []
    twos: list[float] = []
    one_job: list[float] = []
    two_job: list[float] = []
    ac: AdclfCluster | None = None
    for i in range(args.rounds):
        rate, per_job, ac = throughput(["node-a"], 2, shared)
        ones.append(rate)
        one_job.append(per_job)
        stop(ac)
        rate, per_job, ac = throughput(["node-a", "node-b"], 1, shared)
        twos.append(rate)
        two_job.append(per_job)
        if i < args.rounds - 1:
            stop(ac)
    assert ac is not None
    try:
        print("failover: node-b SIGKILLed while it holds jobs (Ray health checks every "
              f"{FAST_FAILURE_DETECTION['health_check_period_ms']} ms, dead after "
              f"{FAST_FAILURE_DETECTION['health_check_failure_threshold']} misses)", flush=True)
        spare = simple_ad(ac.roots / "spare.mp4", brand="FILA", domain="fila.com", seconds=4)
        times = failover(ac, spare, args.trials)
    finally:
        stop(ac)
    one, two = statistics.median(ones), statistics.median(twos)

    print()
    report("throughput, 1 node x 2 workers (median)", one, "jobs/min", "reference", True)
    report("throughput, 2 nodes x 1 worker (median)", two, "jobs/min", ">= 90% of 1",
           two >= 0.9 * one)
    report("cluster layer cost (1 - 2-node/1-node)", (1 - two / one) * 100, "%", "< 10",
           two >= 0.9 * one)
    w1, w2 = statistics.median(one_job), statistics.median(two_job)
    report("worker time per job, 1 node (median)", w1, "s", "reference", True)
    report("worker time per job, 2 nodes (median)", w2, "s", "<= 110% of 1", w2 <= 1.1 * w1)
    worst = {k: max(v) for k, v in times.items()}
    med = {k: statistics.median(v) for k, v in times.items()}
    report("node death -> first submission elsewhere (max)", worst["routed"], "s", "< 6",
           worst["routed"] < 6)
    report("node death -> GET of its job answers 503 (max)", worst["get_503"], "s", "< 6",
           worst["get_503"] < 6)
    report("node death -> dead in Ray (max, 1 s x 3 checks)", worst["ray_dead"], "s", "< 6",
           worst["ray_dead"] < 6)
    report("node back -> its store answers (median)", med["returned"], "s", "< 60",
           med["returned"] < 60)
    shutil.rmtree(shared, ignore_errors=True)


if __name__ == "__main__":
    main()
