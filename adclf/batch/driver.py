"""`python -m adclf.batch SOURCE --out results.parquet`: a batch run driven from this process on
the Ray cluster it connects to (RAY_ADDRESS, `--address`, or a new local Ray). This is what
`ray job submit ... -- python -m adclf.batch ...` runs on a remote cluster.

Re-running the same command resumes: inputs already completed in the output are skipped."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from adclf.batch.inputs import list_inputs
from adclf.batch.progress import Progress
from adclf.batch.run import BatchOptions, run_batch
from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import AdclfError


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m adclf.batch", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="a folder (recursive), a manifest (.txt/.csv of paths or "
                                   "URLs) or a glob ('/srv/ads/**/*.mp4', quoted)")
    ap.add_argument("--out", required=True, type=Path,
                    help="results file (.parquet or .csv; the other format is written beside)")
    ap.add_argument("--address", default=None,
                    help="Ray cluster address (default: RAY_ADDRESS or the running cluster; "
                         "'local' starts one)")
    ap.add_argument("--concurrency", type=int, default=None,
                    help="classify actors (default: one per CPU of the cluster)")
    ap.add_argument("--cpus-per-actor", type=float, default=1.0)
    ap.add_argument("--mode", default="pipeline", choices=["pipeline", "agent"])
    ap.add_argument("--settings", default="{}",
                    help="job settings as JSON, as POST /jobs takes them")
    ap.add_argument("--restrict", action="store_true",
                    help="confine server paths to ALLOWED_FOLDER_ROOTS, as the API does")
    ap.add_argument("--checkpoint-rows", type=int, default=16,
                    help="write the rows to the output every N rows (what a kill can lose)")
    ap.add_argument("--quiet", action="store_true", help="no progress bar")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings()
    try:
        job_settings = JobSettings.model_validate(json.loads(args.settings))
        inputs = list_inputs(args.source, settings, restrict=args.restrict)
    except (AdclfError, ValueError) as err:
        print(f"adclf batch: {err}", file=sys.stderr)
        return 2
    import ray

    ray.init(address=args.address, log_to_driver=False,
             runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                                       "TOKENIZERS_PARALLELISM": "false"}})
    options = BatchOptions(concurrency=args.concurrency, cpus_per_actor=args.cpus_per_actor,
                           mode=args.mode, flush_rows=max(1, args.checkpoint_rows),
                           job_settings=job_settings.model_dump(exclude_none=True))
    bar = ProgressBar(enabled=not args.quiet)
    with bar:
        progress = run_batch(inputs, args.out, settings, options, on_progress=bar.update)
    summary = progress.to_dict()
    print(json.dumps({k: summary[k] for k in ("total", "skipped", "done", "failed",
                                              "ads_per_minute", "elapsed_seconds", "nodes")}))
    return 0


class ProgressBar:
    """done/total, ads/min, ETA and failures on one line (rich)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._last = 0.0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Rich

            self._progress = Rich(TextColumn("batch"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[detail]}"), transient=False)
            self._progress.__enter__()
            self._task = self._progress.add_task("batch", total=None, detail="starting")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def update(self, p: Progress) -> None:
        line = describe(p)
        if self._progress is not None:
            self._progress.update(self._task, total=p.total, completed=p.completed, detail=line)
        elif time.monotonic() - self._last > 5 or p.finished_at:
            self._last = time.monotonic()
            print(f"batch {p.completed}/{p.total} {line}", file=sys.stderr, flush=True)


def describe(p: Progress) -> str:
    eta = p.eta_seconds()
    eta_s = "-" if eta is None else f"{int(eta) // 60}m{int(eta) % 60:02d}s"
    return f"{p.ads_per_minute():.1f} ads/min · ETA {eta_s} · {p.failed} failed"
