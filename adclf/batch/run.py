"""A batch run as a Ray Data pipeline:

    from_items(inputs) [→ map_batches(read_inputs, CPU tasks), when there are URLs to fetch]
                       → map_batches(Classify, actor pool)
                       → streamed back to this driver → checkpointed parts → Parquet + CSV

The rows come back to the driver (`iter_batches`) rather than through `write_parquet`, so the
output is written where the driver runs whatever node classified a row, is checkpointed every few
rows (resume after a kill loses at most one part), and progress is counted as rows arrive. Ray
Data's streaming executor bounds what is in flight, so memory does not grow with the input count."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from adclf.batch import rows
from adclf.batch.inputs import BatchInput
from adclf.batch.output import Results
from adclf.batch.progress import Progress
from adclf.batch.rows import COMPLETED
from adclf.config import Settings

# Ray Data must always be able to schedule read tasks beside a full actor pool: actors ask for
# this share of their CPUs and leave the rest to the (small) read tasks.
ACTOR_CPU_SHARE = 0.9
READ_CPUS = 0.1
# As the service's workers: inference from several threads makes glibc open an arena per thread,
# and a long-lived actor's resident memory then creeps up with the inputs it has seen.
CLASSIFY_ENV = {"env_vars": {"MALLOC_ARENA_MAX": "2", "HF_HUB_OFFLINE": "1",
                             "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}}


@dataclass
class BatchOptions:
    concurrency: int | None = None  # classify actors; None: one per `cpus_per_actor` CPUs
    cpus_per_actor: float = 1.0
    mode: str = "pipeline"
    job_settings: dict[str, Any] = field(default_factory=dict)
    flush_rows: int = 16
    rows_per_block: int | None = None  # None: `block_rows` picks it from the input count
    flush_seconds: float = 5.0


def pool_size(options: BatchOptions) -> int:
    import ray

    cpus = float(ray.cluster_resources().get("CPU", 1.0))
    fits = max(1, int(cpus // options.cpus_per_actor))
    # more actors than the cluster's CPUs would only wait for them (and load models for nothing)
    return min(fits, options.concurrency) if options.concurrency else fits


def block_rows(inputs: int, actors: int, cap: int = 8) -> int:
    """Inputs per Ray Data block. Every block costs a read task, an actor call, their objects and
    the driver's bookkeeping, so blocks hold several inputs (300 short ads on 2 cores: 0.52 ->
    0.47 CPU-s per ad, 197 -> 209 ads/min, from 1 to 8 per block); but each actor gets at least
    four blocks, so that every actor has work until the end and rows stream back as it goes."""
    return max(1, min(cap, inputs // (4 * max(1, actors))))


def run_batch(inputs: list[BatchInput], out: Path, settings: Settings, options: BatchOptions,
              on_progress: Callable[[Progress], None] | None = None,
              stop: threading.Event | None = None) -> Progress:
    """Classify `inputs` into `out` (skipping inputs it already holds as completed)."""
    results = Results(out)
    statuses = results.statuses()
    todo = [i for i in inputs if statuses.get(i.value) != COMPLETED]
    progress = Progress(total=len(inputs), skipped=len(inputs) - len(todo))
    if on_progress:
        on_progress(progress)
    refused = [i for i in todo if i.error]
    if refused:  # refused before reading (outside the roots, bad URL): no actor needed
        table = rows.table([rows.failed_row(i.value, i.kind, i.error or "", 0.0, None)
                            for i in refused])
        results.add(table)
        progress.add(table.column("status").to_pylist(), [])
    readable = [i for i in todo if not i.error]
    if readable:
        _stream(readable, results, settings, options, progress, on_progress, stop)
    if stop is None or not stop.is_set():
        results.merge()
        progress.finished_at = time.time()
        if on_progress:
            on_progress(progress)
    return progress


def _stream(todo: list[BatchInput], results: Results, settings: Settings,
            options: BatchOptions, progress: Progress,
            on_progress: Callable[[Progress], None] | None, stop: threading.Event | None) -> None:
    ds = build_dataset(todo, settings, options)
    pending: list[pa.Table] = []
    flushed = time.monotonic()
    for batch in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=0):
        pending.append(batch)
        progress.add(batch.column("status").to_pylist(), batch.column("node").to_pylist())
        if sum(t.num_rows for t in pending) >= options.flush_rows or \
                time.monotonic() - flushed >= options.flush_seconds:
            results.add(pa.concat_tables(pending))
            pending, flushed = [], time.monotonic()
        if on_progress:
            on_progress(progress)
        if stop is not None and stop.is_set():
            break
    if pending:
        results.add(pa.concat_tables(pending))


def build_dataset(todo: list[BatchInput], settings: Settings, options: BatchOptions) -> Any:
    import ray.data

    from adclf.batch.stages import Classify, read_inputs

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the driver and the API show their own
    ctx.print_on_execution_start = False
    items = [{"input": i.value, "source_kind": i.kind, "error": i.error or ""} for i in todo]
    actors = pool_size(options)
    per_block = options.rows_per_block or block_rows(len(items), actors)
    ds: Any = ray.data.from_items(items, override_num_blocks=-(-len(items) // per_block))
    if any(i.kind == "url" for i in todo):
        # URLs are fetched by read tasks, so a download does not hold a classify actor; as many
        # at once as there are actors to feed (each concurrent read task is a Python worker
        # process of its own, and more would only queue for the actors). A batch of local files
        # skips this stage: the actor reads the path itself. 300 short ads, 2 cores, 3 runs
        # each: the read tasks cost 0.016-0.018 CPU-s per ad (their processes, a probe the
        # pipeline repeats, a block per task), the actors' share rose by ~0.005
        ds = ds.map_batches(read_inputs, fn_kwargs={"settings": settings}, batch_size=None,
                            batch_format="pyarrow", num_cpus=READ_CPUS,
                            compute=ray.data.TaskPoolStrategy(size=actors))
    return ds.map_batches(
        Classify, batch_size=1, batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors), runtime_env=CLASSIFY_ENV,
        num_cpus=options.cpus_per_actor * ACTOR_CPU_SHARE,
        fn_constructor_kwargs={"settings": settings, "job_settings": options.job_settings,
                               "mode": options.mode, "cpus": options.cpus_per_actor})
