"""GET /jobs/{id} while the box is busy (issue #15 part 5): where the time goes.

One Ray session serves the app two ways at once, so both see the same load:
- through the Serve HTTP proxy (the baseline, what `serve run serve_config.yaml` serves): the
  proxy process receives the request and calls the ingress replica over Ray;
- straight into the ingress replica (Ray Serve direct ingress, `ADCLF_DIRECT_PORT` of
  `make run`): the replica's own HTTP server, one process hop fewer.
GETs alternate between the two paths. Three states, each under the configurations of CONFIGS:
Ray's worker processes at Ray's default niceness (15) or at 0 (`RAY_worker_niceness`, which
`make run` sets), and the pipeline and model compute threads lowered by WORKER_NICE:
- idle: nothing queued;
- 2 workers busy: long 720p ads being classified (full-video scan), checked busy throughout;
- 500-job batch: 500 short ads queued and being worked through.
It also times a bare FastAPI route through the proxy (Serve's own floor on this box) and, in each
state, the job store read alone from the driver (the Ray actor hop to the store)

Usage: python -m benchmarks.latency [--gets 400]"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PORT = 8766
DIRECT_PORT = 8776
# Read by the Serve controller and replicas when Ray starts them: set before ray.init.
os.environ.update(RAY_SERVE_ENABLE_DIRECT_INGRESS="1",
                  RAY_SERVE_DIRECT_INGRESS_MIN_HTTP_PORT=str(DIRECT_PORT),
                  RAY_SERVE_DIRECT_INGRESS_MAX_HTTP_PORT=str(DIRECT_PORT + 15),
                  RAY_SERVE_DIRECT_INGRESS_MIN_GRPC_PORT=str(DIRECT_PORT + 1000),
                  RAY_SERVE_DIRECT_INGRESS_MAX_GRPC_PORT=str(DIRECT_PORT + 1015))

import httpx  # noqa: E402
import ray  # noqa: E402
from _common import pct, report  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from ray import serve  # noqa: E402

from adclf.api.deployment import build_app  # noqa: E402
from adclf.store.client import NAMESPACE, store_actor_name  # noqa: E402

PATHS = ("proxy", "direct")
# (label, RAY_worker_niceness for the raylet's worker processes, WORKER_NICE); first = baseline
CONFIGS = [("ray 15 / compute +10", 15, 10),  # Ray's default niceness, adclf's default until now
           ("ray 0 / compute +10", 0, 10),
           ("ray 0 / compute +19", 0, 19)]
Samples = dict[str, list[float]]


def wait_final(c: httpx.Client, job_id: str, timeout: float = 600) -> None:
    deadline = time.time() + timeout
    while c.get(f"/jobs/{job_id}").json()["status"] not in ("completed", "failed"):
        if time.time() > deadline:
            raise TimeoutError(job_id)
        time.sleep(0.5)


def busy_workers(c: httpx.Client) -> int:
    body = c.get("/cluster/nodes").json()
    views: Any = body.get("node_views") if isinstance(body, dict) else body
    return sum(int(v.get("processing") or 0) for v in views or [])


def direct_url(timeout: float = 120) -> str:
    """The ingress replica's own port: Serve gives each replica the first free one of the range
    (the bare app's replica may still hold the first while it drains)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for port in range(DIRECT_PORT, DIRECT_PORT + 16):
            url = f"http://127.0.0.1:{port}"
            try:
                if "nodes_alive" in httpx.get(f"{url}/health", timeout=2).json():
                    return url
            except (httpx.HTTPError, ValueError):
                continue
        time.sleep(1)
    raise TimeoutError("no ingress replica answers on its direct port")


class StoreRead:
    """The job store hop alone: the same read the ingress makes (StoreClient.get), from the
    driver."""

    def __init__(self, job_id: str) -> None:
        self.handle = ray.get_actor(store_actor_name("node-a"), namespace=NAMESPACE)
        self.job_id = job_id

    def get(self, path: str) -> httpx.Response:
        row: Any = ray.get(self.handle.peek.options(concurrency_group="reads").remote(
            self.job_id))
        return httpx.Response(200 if row else 404)


def alternating_gets(clients: dict[str, Any], path: str, n: int) -> Samples:
    out: Samples = {k: [] for k in clients}
    for _ in range(n):
        for name, c in clients.items():
            t0 = time.perf_counter()
            r = c.get(path)
            out[name].append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
    return out


def measure_busy(clients: dict[str, Any], path: str, n: int) -> tuple[Samples, str]:
    """GETs while both workers work; says how many of the checks (before, between, after
    chunks of GETs) found both busy, so a state that drained early cannot pass unnoticed."""
    proxy = clients["proxy"]
    while busy_workers(proxy) < 2:
        time.sleep(0.2)
    out: Samples = {k: [] for k in clients}
    checks = []
    for _ in range(4):
        for k, v in alternating_gets(clients, path, n // 4).items():
            out[k] += v
        checks.append(busy_workers(proxy) >= 2)
    return out, f"{sum(checks)}/{len(checks)} checks"


def run(label: str, nice: int, tmp: Path, short_ad: Path, long_ad: Path, gets: int
        ) -> dict[str, tuple[Samples, str]]:
    serve.run(build_app({"DATA_DIR": str(tmp / f"data-{label}"),
                         "ALLOWED_FOLDER_ROOTS": [str(short_ad.parent)],
                         "WORKERS_PER_NODE": 2, "WORKER_NICE": nice, "CLEANUP_ENABLED": False}),
              name="adclf", route_prefix="/")
    out: dict[str, tuple[Samples, str]] = {}
    c = httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60)
    while c.get("/health").status_code != 200:
        time.sleep(0.5)
    clients: dict[str, Any] = {"proxy": c,
                               "direct": httpx.Client(base_url=direct_url(), timeout=60)}
    job = c.post("/jobs/by-filepath", json={"file_path": str(short_ad)}).json()["job_id"]
    wait_final(c, job)
    time.sleep(5)  # both workers warmed up (they warm while the first job runs)
    path = f"/jobs/{job}"
    clients["store read"] = StoreRead(job)
    alternating_gets(clients, path, 50)
    out["idle"] = (alternating_gets(clients, path, gets), "-")

    long_jobs = [c.post("/jobs/by-filepath", json={
        "file_path": str(long_ad), "settings": {"scan_mode": "Full Video"}}).json()["job_id"]
        for _ in range(30)]
    out["2 workers busy"] = measure_busy(clients, path, gets)
    c.post("/jobs/bulk-delete", json={"job_ids": long_jobs})

    batch = c.post("/jobs/by-folder", json={"folder_path": str(short_ad.parent / "batch")})
    assert batch.status_code == 200, batch.text
    out["500-job batch running"] = measure_busy(clients, path, gets)
    c.post("/jobs/bulk-delete", json={"job_ids": [j["job_id"] for j in batch.json()]})
    for client in (clients["proxy"], clients["direct"]):
        client.close()
    serve.delete("adclf")
    return out


def floors(gets: int) -> dict[str, list[float]]:
    """Serve's own cost on this box: a FastAPI route that does nothing, through the proxy; and
    one job store read from the driver."""
    bare = FastAPI()

    @bare.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    @serve.deployment(name="bare")
    @serve.ingress(bare)
    class Bare:
        pass

    serve.run(Bare.bind(), name="bare", route_prefix="/bare")  # type: ignore[attr-defined]
    with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as c:
        c.get("/bare/ping")
        got = alternating_gets({"proxy": c}, "/bare/ping", gets)["proxy"]
    serve.delete("bare")
    return {"bare FastAPI route through the proxy": got}


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
    results: dict[str, dict[str, tuple[Samples, str]]] = {}
    base: dict[str, list[float]] = {}
    for label, ray_nice, nice in CONFIGS:
        # The raylet reads it when it starts and runs every worker process at it (Ray's
        # default 15); WORKER_NICE then lowers only the pipeline and model compute threads.
        os.environ["RAY_worker_niceness"] = str(ray_nice)  # noqa: SIM112 (Ray spells it so)
        ray.init(address="local", include_dashboard=False, log_to_driver=False)
        serve.start(http_options={"host": "127.0.0.1", "port": PORT})
        if not base:
            base = floors(args.gets)
        results[label] = run(label, nice, tmp, short_ad, long_ad, args.gets)
        serve.shutdown()
        ray.shutdown()
    print(f"GET /jobs/{{id}}, {args.gets} requests per path and state, 2 workers, "
          f"{os.cpu_count()}-core box; proxy = Serve HTTP proxy, direct = ADCLF_DIRECT_PORT "
          f"(Serve direct ingress); baseline = {CONFIGS[0][0]}")
    for name, xs in base.items():
        report(f"floor: {name} p50", pct(xs, 50), "ms", "-", True)
    for state in results[CONFIGS[0][0]]:
        for label, _, _ in CONFIGS:
            samples, busy = results[label][state]
            for way in PATHS:
                p50, p99 = pct(samples[way], 50), pct(samples[way], 99)
                tag = f"{state}, {label}, {way}"
                report(f"{tag}: p50", p50, "ms", "<= 10 ms", p50 <= 10)
                report(f"{tag}: p99", p99, "ms", "-", True)
            store = samples["store read"]
            report(f"{state}, {label}: the store read alone p50", pct(store, 50), "ms", "-",
                   True)
            if busy != "-":
                print(f"  ({state}, {label}: both workers busy at {busy})")


if __name__ == "__main__":
    main()
