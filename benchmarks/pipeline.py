"""Speed of the whole pipeline on this machine, next to the goals.

    python -m benchmarks.pipeline [--ads 12] [--gop 50] [--workers 2] [--scan-mode "Tail Only"]
                                  [--ocr-engine rapidocr] [--json out.json]

Renders (once, cached under benchmarks/out/pipeline_ads/) N 30 s 720p H.264 ads: three product
scenes with copy lines, then a static end card with brand and web address, and a voice-over
(espeak-ng) saying the brand, the copy and the address. Then measures:

1. per-ad latency of `Pipeline.run` (frames → OCR → logos → speech → embedded provider → mapper,
   rescue ladder included) in one warm process (model loading is reported apart): p50 / p95;
   and, as the baseline in the same run, the same ads with speech and logo recognition off;
2. throughput with `--workers` processes in parallel, each with its own warm pipeline (ads/min);
3. frame sampling: `VideoFrameSource` (seeks) vs a naive sequential OpenCV read that decodes every
   frame up to the same timestamps, on the same ads in the same run (speed-up factor).

Wall-clock numbers depend on the machine's load (the load average is printed): run it on a quiet
machine. CPU time per ad is printed too, as a load-independent estimate of idle latency.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / "out" / "pipeline_ads"
# With speech and logo recognition (issue 11): p50 <= 2 s and >= 40 ads/min on 2 cores.
GOALS = {"p50_s": 2.0, "ads_per_min": 40.0, "frames_s": 0.3, "sampling_speedup": 5.0}

BRANDS = [
    ("NORDVIK", "nordvik.com", ["Winter jackets", "Built for the cold"]),
    ("Maison Clair", "maisonclair.fr", ["Crème hydratante", "Peau douce toute la journée"]),
    ("VOLTARO", "voltaro.com", ["Electric scooters", "Ride the city"]),
    ("Caffè Lume", "caffelume.it", ["Espresso beans", "Roasted in small batches"]),
    ("PIXELO", "pixelo.com", ["4K smart TV", "Cinema at home"]),
    ("Brasserie Roux", "brasserieroux.fr", ["Bière artisanale", "Brassée à Lyon"]),
    ("TRAILMARK", "trailmark.com", ["Hiking boots", "Waterproof and light"]),
    ("Banque Azur", "banqueazur.fr", ["Votre prêt immobilier", "Taux fixe garanti"]),
]
COLOURS = ["darkgreen", "navy", "darkred", "purple", "teal", "saddlebrown", "darkslategray"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def make_ads(count: int, gop: int) -> list[Path]:
    sys.path.insert(0, str(ROOT.parent))
    from tests.videos import Scene, make_video, speak

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        brand, domain, copy = BRANDS[i % len(BRANDS)]
        tag = hashlib.sha1(repr((brand, domain, copy, i, gop, "vo1")).encode()).hexdigest()[:8]
        path = CACHE / f"ad_{i:03d}_{tag}.mp4"
        if not path.exists():
            french = domain.endswith((".fr", ".it"))
            said = domain.replace(".", " point " if french else " dot ")
            voice = speak(f"{brand}. {copy[0]}. {copy[1]}. " + (
                f"Rendez-vous sur {said}." if french else f"Visit {said}."),
                CACHE / f"vo_{i:03d}.wav", voice="fr" if french else "en-us")
            c = [COLOURS[(i + k) % len(COLOURS)] for k in range(3)]
            make_video(
                path,
                [
                    Scene(9.0, c[0], [copy[0]], font_size=64),
                    Scene(9.0, c[1], [copy[1]], font_size=56),
                    Scene(8.0, c[2], [copy[0], copy[1]], font_size=52),
                    Scene(4.0, "black", [brand, domain], font_size=110),
                ],
                size=(1280, 720),
                fps=25,
                gop=gop,
                audio_file=voice,
            )
        paths.append(path)
    return paths


class _Quiet:
    def stage(self, stage: Any, detail: str = "", progress: float | None = None) -> None:
        pass

    def event(self, message: str) -> None:
        pass


def _spec(video: Path, scan_mode: str, ocr_engine: str) -> Any:
    from adclf.domain import JobSettings, JobSpec

    return JobSpec(
        job_id=f"bench-{video.stem}", node="node-a", source_kind="file", source=str(video),
        settings=JobSettings(scan_mode=scan_mode, ocr_engine=ocr_engine),
    )


def _pipeline(evidence: bool = True) -> Any:
    from adclf.config import Settings
    from adclf.pipeline.runner import Pipeline

    return Pipeline(Settings(DATA_DIR=Path(tempfile.mkdtemp(prefix="adclf-bench-")),
                             ASR_ENABLED=evidence, LOGOS_ENABLED=evidence))


def run_latency(ads: list[Path], scan_mode: str, ocr_engine: str,
                evidence: bool = True) -> dict[str, Any]:
    start = time.perf_counter()
    pipeline = _pipeline(evidence)
    with tempfile.TemporaryDirectory() as tmp:
        pipeline.run(_spec(ads[0], scan_mode, ocr_engine), Path(tmp) / "warm", _Quiet())
        warm = time.perf_counter() - start
        latencies: list[float] = []
        stages: dict[str, list[float]] = {}
        rescued = 0
        brands_ok = 0
        cpu: list[float] = []
        for i, ad in enumerate(ads):
            t, c = time.perf_counter(), time.process_time()
            result = pipeline.run(_spec(ad, scan_mode, ocr_engine), Path(tmp) / f"j{i}", _Quiet())
            latencies.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            for key, value in result.timings.items():
                stages.setdefault(key, []).append(value)
            rescued += len(result.attempts) > 1
            want = BRANDS[int(ad.stem.split("_")[1]) % len(BRANDS)][0]
            brands_ok += result.classification.brand.casefold() == want.casefold()
    return {
        "warmup_s": warm,
        "latencies": latencies,
        "p50_s": statistics.median(latencies),
        "p95_s": percentile(latencies, 0.95),
        "cpu_p50_s": statistics.median(cpu),
        "cpu_mean_s": statistics.fmean(cpu),
        "stage_p50_s": {k: statistics.median(v) for k, v in stages.items()},
        "rescued": rescued,
        "brand_ok": brands_ok,
    }


def _worker(args: tuple[list[str], str, str, Any, Any]) -> int:
    paths, scan_mode, ocr_engine, ready, go = args
    pipeline = _pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        pipeline.run(_spec(Path(paths[0]), scan_mode, ocr_engine), Path(tmp) / "warm", _Quiet())
        ready.release()
        go.wait()
        for i, p in enumerate(paths):
            pipeline.run(_spec(Path(p), scan_mode, ocr_engine), Path(tmp) / f"j{i}", _Quiet())
    return len(paths)


def run_throughput(ads: list[Path], workers: int, scan_mode: str,
                   ocr_engine: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    manager = ctx.Manager()
    ready, go = manager.Semaphore(0), manager.Event()
    shares = [[str(a) for a in ads[i::workers]] for i in range(workers)]
    with ctx.Pool(workers) as pool:
        pending = pool.map_async(
            _worker, [(s, scan_mode, ocr_engine, ready, go) for s in shares if s]
        )
        for _ in [s for s in shares if s]:
            ready.acquire()  # every worker has loaded its models
        start = time.perf_counter()
        go.set()
        done = sum(pending.get(timeout=3600))
        wall = time.perf_counter() - start
    manager.shutdown()
    return {"workers": workers, "ads": done, "wall_s": wall, "ads_per_min": done / wall * 60}


def naive_opencv(video: Path, timestamps: list[float]) -> tuple[float, float]:
    """Decode every frame from the start up to the last wanted timestamp (cv2.VideoCapture.read).
    Returns (wall, CPU) seconds."""
    import cv2

    start, cpu = time.perf_counter(), time.process_time()
    cap = cv2.VideoCapture(str(video))
    wanted = sorted(timestamps)
    got = 0
    while wanted:
        ok, image = cap.read()
        if not ok:
            break
        t = cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        while wanted and t >= wanted[0] - 1e-3:
            wanted.pop(0)
            got += image is not None
    cap.release()
    return time.perf_counter() - start, time.process_time() - cpu


def run_sampling(ads: list[Path], scan_mode: str) -> dict[str, Any]:
    from adclf.config import Settings
    from adclf.pipeline.cores import threads_per_job
    from adclf.pipeline.frames import VideoFrameSource

    # the decoder threads a pipeline job gets; OpenCV keeps its own default (all cores)
    source = VideoFrameSource(threads=threads_per_job(Settings()))
    source.sample(ads[0], scan_mode)  # imports, decoder start-up
    ours: list[float] = []
    ours_cpu: list[float] = []
    naive: list[float] = []
    naive_cpu: list[float] = []
    counts: list[int] = []
    for ad in ads:
        t, c = time.perf_counter(), time.process_time()
        frames, _ = source.sample(ad, scan_mode)
        ours.append(time.perf_counter() - t)
        ours_cpu.append(time.process_time() - c)
        counts.append(len(frames))
        wall, cpu = naive_opencv(ad, [f.timestamp for f in frames])
        naive.append(wall)
        naive_cpu.append(cpu)
    return {
        "ours_p50_s": statistics.median(ours),
        "ours_mean_s": statistics.fmean(ours),
        "ours_cpu_mean_s": statistics.fmean(ours_cpu),
        "naive_mean_s": statistics.fmean(naive),
        "naive_cpu_mean_s": statistics.fmean(naive_cpu),
        "speedup": statistics.fmean(naive) / statistics.fmean(ours),
        "cpu_speedup": statistics.fmean(naive_cpu) / statistics.fmean(ours_cpu),
        "frames_mean": statistics.fmean(counts),
    }


def _line(name: str, value: float, goal: str, ok: bool, unit: str) -> str:
    return f"  {name:<34} {value:>8.2f} {unit:<7} goal {goal:<8} {'OK' if ok else 'MISSED'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ads", type=int, default=12)
    parser.add_argument("--gop", type=int, default=50,
                        help="keyframe interval in frames (50 = 2 s at 25 fps, common for web ads)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scan-mode", default="Tail Only")
    parser.add_argument("--ocr-engine", default="rapidocr")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    t = time.perf_counter()
    ads = make_ads(args.ads, args.gop)
    print(f"{len(ads)} ads of 30 s 720p (gop {args.gop}) ready in {time.perf_counter() - t:.1f} s"
          f"; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    sampling = run_sampling(ads, args.scan_mode)
    baseline = run_latency(ads, args.scan_mode, args.ocr_engine, evidence=False)
    latency = run_latency(ads, args.scan_mode, args.ocr_engine)
    throughput = (None if args.skip_throughput
                  else run_throughput(ads, args.workers, args.scan_mode, args.ocr_engine))

    print(f"\npipeline ({args.scan_mode}, {args.ocr_engine}, embedded provider), "
          f"{len(ads)} ads; model loading {latency['warmup_s']:.1f} s (once per process)")
    print(_line("latency p50", latency["p50_s"], f"<= {GOALS['p50_s']:.0f} s",
                latency["p50_s"] <= GOALS["p50_s"], "s"))
    print(_line("latency p95", latency["p95_s"], "-", True, "s"))
    print(_line("baseline: no speech/logos, p50", baseline["p50_s"], "-", True, "s"))
    print(_line("baseline: no speech/logos, CPU p50", baseline["cpu_p50_s"], "-", True, "s"))
    if throughput:
        print(_line(f"throughput ({throughput['workers']} processes)",
                    throughput["ads_per_min"], f">= {GOALS['ads_per_min']:.0f}",
                    throughput["ads_per_min"] >= GOALS["ads_per_min"], "ads/min"))
    # A job uses one core's worth of threads (cores / WORKERS_PER_NODE), so on an idle machine
    # its latency is about its CPU time, and N such processes on N cores do N times the work.
    cores = os.cpu_count() or 1
    print(_line("CPU time per ad p50 (idle latency)", latency["cpu_p50_s"],
                f"<= {GOALS['p50_s']:.0f} s", latency["cpu_p50_s"] <= GOALS["p50_s"], "s"))
    idle_rate = cores * 60 / latency["cpu_mean_s"]
    print(_line(f"idle-machine estimate, {cores} processes", idle_rate,
                f">= {GOALS['ads_per_min']:.0f}", idle_rate >= GOALS["ads_per_min"], "ads/min"))
    stage = latency["stage_p50_s"]
    print("  stage p50: " + ", ".join(f"{k} {v:.3f}s" for k, v in sorted(stage.items())))
    print(f"  rescue attempts on {latency['rescued']}/{len(ads)} ads; "
          f"brand right on {latency['brand_ok']}/{len(ads)}")
    print(f"\nframe sampling ({args.scan_mode}, {sampling['frames_mean']:.1f} frames/ad)")
    print(_line("VideoFrameSource mean", sampling["ours_mean_s"], f"<= {GOALS['frames_s']} s",
                sampling["ours_mean_s"] <= GOALS["frames_s"], "s"))
    print(_line("naive OpenCV sequential read mean", sampling["naive_mean_s"], "-", True, "s"))
    print(_line("speed-up (wall)", sampling["speedup"], f">= {GOALS['sampling_speedup']:.0f}x",
                sampling["speedup"] >= GOALS["sampling_speedup"], "x"))
    print(_line("VideoFrameSource CPU mean", sampling["ours_cpu_mean_s"], "-", True, "s"))
    print(_line("naive OpenCV CPU mean", sampling["naive_cpu_mean_s"], "-", True, "s"))
    print(_line("speed-up (CPU time)", sampling["cpu_speedup"],
                f">= {GOALS['sampling_speedup']:.0f}x",
                sampling["cpu_speedup"] >= GOALS["sampling_speedup"], "x"))
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    if args.json:
        args.json.write_text(json.dumps(
            {"latency": latency, "baseline": baseline, "throughput": throughput,
             "sampling": sampling,
             "args": {k: str(v) for k, v in vars(args).items()}}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
