"""Batch runs on Ray Data (issue #14 part 2) against the job store path, on this machine.

    .venv/bin/python benchmarks/batch.py [--ads 60] [--mem-small 200] [--mem-large 2000]

One local Ray (2 CPUs) with the adclf Serve app (2 workers), then, in the same run:

1. throughput: the same N ads through `POST /jobs/by-folder` + waiting for every job (the
   baseline; workers warmed first) and through `adclf batch FOLDER --out ...` (CLI over HTTP:
   POST /batches, progress, download; model loading of the batch actors included). Goal: batch
   >= 1.5x the ads/min of by-folder. CPU-s per ad: CPU of this process tree during each phase.
2. memory: `python -m adclf.batch` (the Ray driver) over `--mem-small` and `--mem-large` inputs:
   peak RSS of the driver (wait4) and the peak summed RSS of the classify actors, with its
   anonymous and shared-memory parts and how many actor processes were summed. Goal: large
   within 20 % of small.

Last memory run (2026-12-03, blocks of 8 inputs, load 0-3): driver 276.5 vs 276.5 MB, classify
actors 656.2 vs 670.2 MB (1.02x; anonymous 363 vs 376 MB, shared 5 vs 6 MB, 2 processes in
both), 218 / 321 ads/min. Last throughput run (2026-12-03, --ads 2000): by-folder 237.4, batch
266.9 ads/min (1.12x), CPU 0.445 vs 0.364 s per ad. 300-ad runs of 2026-12-04 (no read stage for
local files since then, a shared box): README's table.

Inputs are hard links to a small set of distinct generated ads (3 s, 320x180, product scene and
end card): the pipeline does not cache by content, so every link is classified in full, and
thousands of inputs cost no ffmpeg time. Wall-clock figures depend on the machine's load (printed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "batch"),
                str(ROOT / "benchmarks")]

import httpx  # noqa: E402
import psutil  # noqa: E402
from _common import report  # noqa: E402
from batch_support import make_ads  # noqa: E402

CACHE = ROOT / "benchmarks" / "out" / "batch_ads"
DISTINCT = 20
# the classify actors' process titles (read tasks are short-lived and shown apart by Ray as IDLE
# between tasks, so a sampled sum of them would measure timing, not growth)
CLASSIFY_ACTORS = ("MapWorker",)


def distinct_ads() -> list[Path]:
    have = sorted(CACHE.glob("ad*.mp4"))
    return have if len(have) >= DISTINCT else make_ads(CACHE, DISTINCT)


def linked_folder(folder: Path, count: int) -> Path:
    ads = distinct_ads()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        os.link(ads[i % len(ads)], folder / f"in{i:05d}.mp4")
    return folder


class CpuMeter:
    """CPU seconds of this process's descendants (Ray's processes included) over a phase,
    sampled so that processes which exit mid-phase (batch actors) are counted."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        for p in psutil.Process().children(recursive=True):
            try:
                t = p.cpu_times()
                self.seen[p.pid] = max(self.seen.get(p.pid, 0.0), t.user + t.system)
                # Ray renames its workers: keep the first name that says what one runs (a
                # worker started for an actor or a task is `ray::IDLE` until it gets it)
                name = self.names.get(p.pid, "")
                if not name.startswith("ray::") or name == "ray::IDLE":
                    self.names[p.pid] = process_title(p.cmdline())
            except psutil.Error:
                pass

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self._sample()
        self.start = dict(self.seen)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def seconds(self) -> float:
        return sum(v - self.start.get(pid, 0.0) for pid, v in self.seen.items())

    def by_process(self) -> list[tuple[str, float, int]]:
        """(title, CPU-s, processes) per process title, most CPU first."""
        cpu: dict[str, float] = {}
        count: dict[str, int] = {}
        for pid, v in self.seen.items():
            name = self.names.get(pid, "?")
            cpu[name] = cpu.get(name, 0.0) + v - self.start.get(pid, 0.0)
            count[name] = count.get(name, 0) + 1
        return sorted(((n, c, count[n]) for n, c in cpu.items()), key=lambda x: -x[1])


def process_title(cmdline: list[str]) -> str:
    """Ray's title for its workers ('ray::Worker'), else the program (and module) run."""
    if cmdline and cmdline[0].startswith("ray::"):
        return cmdline[0].split()[0].split(".")[0]
    words = [Path(cmdline[0]).name, *cmdline[1:3]] if cmdline else ["?"]
    return " ".join(words)[:48]


def start_service(base: Path) -> str:
    import ray
    from ray import serve
    from support import free_port

    from adclf.api.deployment import build_app

    # a Ray of its own (sockets, logs, session file) beside other Ray instances on the machine
    os.environ["RAY_TMPDIR"] = tempfile.mkdtemp(prefix="adclf-rb-", dir="/tmp")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             namespace="adclf-bench-batch")
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    serve.run(build_app({"DATA_DIR": str(base / "data"), "ALLOWED_FOLDER_ROOTS": [str(base)],
                         "WORKERS_PER_NODE": 2, "CLEANUP_ENABLED": False,
                         # one POST /jobs/by-folder for the whole folder (default 1,000 files)
                         "MAX_URLS_PER_REQUEST": 100_000,
                         "LOG_LEVEL": "WARNING"}), name="adclf", route_prefix="/")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while httpx.get(f"{url}/health", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "service not healthy"
        time.sleep(1)
    return url


def by_folder(url: str, folder: Path) -> float:
    """POST /jobs/by-folder, then wait as a script over thousands of jobs would: one look a
    second at whether any job is still queued or running (GET /jobs?status=...&limit=1).
    Polling each job (what this benchmark did until 2026-12-03) cost the ingress and proxy
    ~0.2 CPU-s per ad on 2 cores, a load the job store path itself does not need; the service
    runs nothing else."""
    with httpx.Client(base_url=url, timeout=60) as c:
        t0 = time.perf_counter()
        r = c.post("/jobs/by-folder", json={"folder_path": str(folder)})
        r.raise_for_status()
        assert r.json(), "no job submitted"
        while any(c.get("/jobs", params={"status": status, "limit": 1}).json()
                  for status in ("queued", "running")):  # 'running': being processed
            time.sleep(1.0)
        elapsed = time.perf_counter() - t0
        failed = c.get("/jobs", params={"status": "failed", "limit": 5}).json()
        assert not failed, failed
        return elapsed


def warm_workers(url: str, base: Path) -> None:
    folder = linked_folder(base / "warm", 2)
    by_folder(url, folder)


def cli_batch(url: str, folder: Path, out: Path) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "adclf"), "--server", url, "batch",
                           str(folder), "--out", str(out), "--json", "--timeout", "7200"],
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    assert done.returncode == 0, done.stderr[-2000:]
    return elapsed, json.loads(done.stdout)


def status_kb(pid: int) -> dict[str, float]:
    """A process's resident memory split as the kernel counts it (kB): `anon` is its own heap,
    `shmem` the shared memory it has touched (Ray's object store is shared memory mapped into
    every worker that reads or writes an object, so it shows in each one's RSS)."""
    fields = {"VmRSS": "rss", "RssAnon": "anon", "RssShmem": "shmem"}
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in fields:
            out[fields[name]] = float(value.split()[0])
    return out


def driver_memory(folder: Path, out: Path, address: str) -> dict[str, float]:
    """Peak RSS (MB) of a `python -m adclf.batch` driver and of its classify actors (summed)."""
    peak = {"rss": 0.0, "anon": 0.0, "shmem": 0.0, "processes": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            total = {"rss": 0.0, "anon": 0.0, "shmem": 0.0, "processes": 0.0}
            for p in psutil.process_iter(["cmdline"]):
                try:
                    line = " ".join(p.info["cmdline"] or [])
                    if any(w in line for w in CLASSIFY_ACTORS) and p.pid != os.getpid():
                        for key, value in status_kb(p.pid).items():
                            total[key] += value * 1024
                        total["processes"] += 1
                except (psutil.Error, OSError):
                    pass
            for key, value in total.items():
                peak[key] = max(peak[key], value)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "adclf.batch", str(folder), "--out", str(out),
                             "--address", address, "--quiet"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    stop.set()
    thread.join()
    assert status == 0, stdout
    summary = json.loads(stdout.decode().strip().splitlines()[-1])
    return {"driver_mb": usage.ru_maxrss / 1024, "workers_mb": peak["rss"] / 2**20,
            "workers_anon_mb": peak["anon"] / 2**20, "workers_shmem_mb": peak["shmem"] / 2**20,
            "actor_processes": peak["processes"],
            "seconds": elapsed, "ads_per_min": summary["ads_per_minute"],
            "failed": summary["failed"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ads", type=int, default=60)
    ap.add_argument("--mem-small", type=int, default=200)
    ap.add_argument("--mem-large", type=int, default=2000)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="adclf-bench-batch-"))
    print(f"load average {os.getloadavg()}; cpus {os.cpu_count()}; {args.ads} ads")
    url = start_service(base)
    warm_workers(url, base)

    if not args.skip_throughput:
        throughput(url, base, args.ads)
    if not args.skip_memory:
        memory(base, args.mem_small, args.mem_large)


def throughput(url: str, base: Path, ads: int) -> None:
    folder = linked_folder(base / "ads", ads)
    with CpuMeter() as cpu_jobs:
        t_jobs = by_folder(url, folder)
    with CpuMeter() as cpu_batch:
        t_batch, final = cli_batch(url, folder, base / "results.parquet")
    assert final["progress"]["failed"] == 0, final
    rate_jobs, rate_batch = 60 * ads / t_jobs, 60 * ads / t_batch
    steady = final["progress"]["ads_per_minute"]
    print(f"load average {os.getloadavg()}")
    report("by-folder + wait: ads/min (baseline)", rate_jobs, "ads/min", "-", True)
    report("adclf batch: ads/min (incl. actor start)", rate_batch, "ads/min", ">= 1.5x base",
           rate_batch >= 1.5 * rate_jobs)
    report("adclf batch / by-folder throughput", rate_batch / rate_jobs, "x", ">= 1.5",
           rate_batch >= 1.5 * rate_jobs)
    report("adclf batch: ads/min in the run (server)", steady, "ads/min", "-", True)
    report("by-folder: CPU-s per ad", cpu_jobs.seconds() / ads, "s", "-", True)
    report("adclf batch: CPU-s per ad", cpu_batch.seconds() / ads, "s", "< by-folder",
           cpu_batch.seconds() < cpu_jobs.seconds())
    for name, meter in (("by-folder", cpu_jobs), ("adclf batch", cpu_batch)):
        print(f"{name}, CPU-s per ad by process:")
        for title, seconds, count in meter.by_process()[:8]:
            print(f"  {seconds / ads:6.3f}  {title} ({count} process{'es' if count > 1 else ''})")


def memory(base: Path, n_small: int, n_large: int) -> None:
    import ray

    address = ray.get_runtime_context().gcs_address
    small = driver_memory(linked_folder(base / "mem-small", n_small),
                          base / "mem-small.parquet", address)
    large = driver_memory(linked_folder(base / "mem-large", n_large),
                          base / "mem-large.parquet", address)
    print(f"load average {os.getloadavg()}")
    print(json.dumps({"small": small, "large": large}))
    for key, name in (("driver_mb", "driver"), ("workers_mb", "classify actors")):
        ratio = large[key] / small[key]
        report(f"peak RSS {name} {n_small} inputs", small[key], "MB", "-", True)
        report(f"peak RSS {name} {n_large} inputs", large[key], "MB", "<= 1.2x small",
               ratio <= 1.2)
    report(f"driver ads/min at {n_large} inputs", large["ads_per_min"], "ads/min", "-", True)


if __name__ == "__main__":
    main()
