"""The JobStore actor: one per adclf node, the only writer of that node's DuckDB file.

This class is the Ray-facing façade (cluster.nodes wraps it with ray.remote; StoreClient and the
workers call its methods). It owns no logic of its own beyond wiring and deletion; each concern
is a plain-Python part, testable without Ray:
- writer.Writer: group commit. Durable changes are committed before the caller is answered,
  progress is written behind;
- queue.JobQueue: active jobs in memory, leases, claims (committed before the work order goes
  out), results, retries, crash recovery and the lease reaper;
- queries.JobQueries: reads, long-poll, counters, analytics;
- files.JobFiles: uploads, serving a job's files, retention (TTL cleanup), exports;
- watch_ledger.WatchLedger: which file contents the node's watch folders already submitted;
- outbox.Outbox: the webhook callbacks finished jobs still owe (sent by adclf.webhooks);
- benchmarks.Benchmarks: the benchmark lab's truth sets, suites and scores.

The parts' background tasks (lease reaper, periodic cleanup) need the actor's event loop, which
does not run yet in __init__: the first call that changes something starts them."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from adclf.config import Settings
from adclf.store.benchmarks import Benchmarks, Format, Table
from adclf.store.db import JobDB, Row
from adclf.store.files import CHUNK_LIMIT, JobFiles
from adclf.store.outbox import Outbox
from adclf.store.queries import JobQueries
from adclf.store.queue import JobQueue
from adclf.store.watch_ledger import WatchLedger
from adclf.store.writer import Writer

log = logging.getLogger("adclf.store")


class JobStore:
    def __init__(self, node: str, settings: Settings) -> None:
        self.node = node
        self.settings = settings
        settings.ensure_dirs()
        self.db = JobDB(settings.db_path(node))
        self.maintenance = self.db.get_meta("maintenance") == "1"
        self.writer = Writer(self.db, node)
        self.files = JobFiles(node, settings, self.writer)
        self.jobs = JobQueue(node, settings, self.writer)  # recovers the unfinished jobs
        self.reads = JobQueries(node, self.jobs, self.writer)
        self.watch = WatchLedger(node, self.db, self.jobs)
        self.outbox = Outbox(node, self.db, self.writer, self.jobs)
        self.bench = Benchmarks(self.db, settings.DATA_DIR / "benchmark" / node)
        self._background: list[asyncio.Task[None]] = []

    def _ensure_background(self) -> None:
        if self._background:
            return
        loop = asyncio.get_running_loop()
        self._background.append(loop.create_task(self.jobs.reaper()))
        if self.settings.CLEANUP_ENABLED:
            self._background.append(loop.create_task(self._cleanup_loop()))

    async def _cleanup_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.CLEANUP_INTERVAL_HOURS * 3600)
            try:
                await self.cleanup()
            except Exception:  # pragma: no cover - logged, retried next interval
                log.exception("cleanup failed on %s", self.node)

    async def flush(self) -> None:
        """Wait until everything staged so far is committed."""
        self._ensure_background()
        await self.writer.flush()

    # ---- creation and the worker side (queue) ------------------------------------------------
    async def create_jobs(self, specs: list[dict[str, Any]]) -> list[Row]:
        """specs: {mode, source_kind, source, original_name, settings(dict)}; ids made here."""
        self._ensure_background()
        return await self.jobs.create(specs)

    async def claim(self, worker_id: str, wait: float = 0.0) -> Row | None:
        """Give the next job (by priority, then the submissions in turn) to `worker_id` with a
        lease, waiting up to `wait` s."""
        self._ensure_background()
        return await self.jobs.claim(worker_id, wait)

    async def heartbeat(self, job_id: str, worker_id: str) -> bool:
        """Extend the lease; False tells the worker to abandon the job (deleted or re-queued)."""
        return self.jobs.heartbeat(job_id, worker_id)

    async def update_stage(self, job_id: str, worker_id: str, stage: str, detail: str = "",
                           progress: float | None = None) -> bool:
        self._ensure_background()
        return self.jobs.update_stage(job_id, worker_id, stage, detail, progress)

    async def add_event(self, job_id: str, worker_id: str, message: str) -> bool:
        self._ensure_background()
        return self.jobs.add_event(job_id, worker_id, message)

    async def complete(self, job_id: str, worker_id: str, result: dict[str, Any],
                       explanation: dict[str, Any] | None, artifacts: dict[str, Any] | None
                       ) -> bool:
        self._ensure_background()
        return await self.jobs.complete(job_id, worker_id, result, explanation, artifacts)

    async def complete_and_claim(self, job_id: str, worker_id: str, result: dict[str, Any],
                                 explanation: dict[str, Any] | None,
                                 artifacts: dict[str, Any] | None) -> dict[str, Any]:
        """Record the result and take the next queued job (if any) in one call and one commit."""
        self._ensure_background()
        return await self.jobs.complete_and_claim(job_id, worker_id, result, explanation,
                                                  artifacts)

    async def fail(self, job_id: str, worker_id: str, error: str, retry: bool = False,
                   artifacts: dict[str, Any] | None = None) -> bool:
        self._ensure_background()
        return await self.jobs.fail(job_id, worker_id, error, retry, artifacts)

    # ---- reads (queries) ---------------------------------------------------------------------
    async def get(self, job_id: str) -> Row | None:
        return await self.reads.get(job_id)

    async def peek(self, job_id: str) -> Row | None:
        """One job, called in the "reads" concurrency group (its own thread and loop; see
        cluster.nodes), so polls are not queued behind commits on the main loop."""
        return self.reads.peek(job_id)

    async def get_many(self, job_ids: list[str]) -> list[Row]:
        return await self.reads.get_many(job_ids)

    async def list_jobs(self, statuses: list[str] | None = None, query: str | None = None,
                        limit: int = 100, offset: int = 0) -> dict[str, Any]:
        return await self.reads.list_jobs(statuses, query, limit, offset)

    async def events(self, job_id: str) -> list[Row]:
        return await self.reads.events(job_id)

    async def wait_change(self, job_id: str, since: float | None, timeout: float) -> Row | None:
        """Long-poll: the job as soon as its updated_at differs from `since` (or at timeout)."""
        self._ensure_background()
        return await self.reads.wait_change(job_id, since, timeout)

    async def stats(self) -> dict[str, Any]:
        return await self.reads.stats(self.maintenance)

    async def analytics(self) -> dict[str, Any]:
        return await self.reads.analytics()

    async def ping(self) -> dict[str, Any]:
        self.db.con.execute("SELECT 1").fetchone()
        return {"node": self.node, "db": "ok", "pid": os.getpid()}

    # ---- maintenance and deletion ------------------------------------------------------------
    async def set_maintenance(self, enabled: bool) -> bool:
        self._ensure_background()
        self.maintenance = bool(enabled)
        self.writer.stage_meta("maintenance", "1" if enabled else "0")
        await self.writer.commit()
        return self.maintenance

    async def delete(self, job_ids: list[str]) -> dict[str, list[str]]:
        """Delete jobs (aborting running ones: their worker's next report is refused)."""
        self._ensure_background()
        deleted, missing = [], []
        for job_id in job_ids:
            row = await self.reads.get(job_id)
            if row is None:
                missing.append(job_id)
                continue
            self.jobs.forget(job_id)
            self.writer.stage_delete(job_id)
            self.files.remove_job_files(row)
            deleted.append(job_id)
        if deleted:
            self.outbox.forget(deleted)
            await self.writer.commit()
        return {"deleted": deleted, "not_found": missing}

    async def _delete_ids(self, job_ids: list[str]) -> list[str]:
        return (await self.delete(job_ids))["deleted"]

    async def cleanup(self, grace_seconds: float = 3600.0) -> dict[str, Any]:
        """Remove final jobs past JOB_TTL_DAYS, their files, and orphaned artifacts/uploads."""
        self._ensure_background()
        return await self.files.cleanup(self.jobs.active, self._delete_ids, grace_seconds)

    # ---- files owned by this node ------------------------------------------------------------
    async def upload_open(self, suffix: str) -> str:
        return self.files.upload_open(suffix)

    async def upload_append(self, token: str, data: bytes) -> int:
        return self.files.upload_append(token, data)

    async def upload_close(self, token: str, abort: bool = False) -> str | None:
        return self.files.upload_close(token, abort)

    async def local_upload_dir(self) -> str:
        return str(self.files.upload_dir)

    async def file_info(self, job_id: str, name: str) -> dict[str, Any] | None:
        return self.files.file_info(await self.reads.get(job_id), name)

    async def read_file(self, job_id: str, name: str, offset: int = 0,
                        length: int = CHUNK_LIMIT) -> bytes | None:
        return self.files.read_file(await self.reads.get(job_id), name, offset, length)

    async def export(self, path: str, fmt: str) -> int:
        return await self.files.export(path, fmt)

    async def export_bytes(self, fmt: str) -> bytes:
        return await self.files.export_bytes(fmt)

    # ---- watch folders (services.watch) ------------------------------------------------------
    async def watch_claim(self, sha256: str, path: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Create the job for a watched file unless its content has one: {entry, created}."""
        self._ensure_background()
        return await self.watch.claim(sha256, path, spec)

    async def watch_unfinished(self) -> list[Row]:
        return self.watch.unfinished()

    async def watch_mark_written(self, sha256: str, status: str) -> bool:
        return self.watch.mark_written(sha256, status)

    async def watch_entries(self, limit: int = 100, offset: int = 0) -> list[Row]:
        return self.watch.entries(limit, offset)

    # ---- webhook outbox (adclf.webhooks.delivery) --------------------------------------------
    async def outbox_due(self, limit: int, lease: float, wait: float = 0.0) -> list[Row]:
        """Callbacks due now (leased for `lease` s), waiting up to `wait` s for one."""
        self._ensure_background()
        return await self.outbox.due(limit, lease, wait)

    async def outbox_report(self, job_id: str, state: str, message: str,
                            retry_at: float | None = None) -> bool:
        """One attempt's outcome (pending/delivered/failed) and its event, in one commit."""
        self._ensure_background()
        return await self.outbox.report(job_id, state, message, retry_at)

    async def outbox_entry(self, job_id: str) -> Row | None:
        return self.outbox.entry(job_id)

    # ---- benchmark lab (services.benchmarks; on the home node only) ---------------------------
    async def bench_create_set(self, set_id: str, name: str, items: list[dict[str, Any]]) -> Row:
        return self.bench.create_set(set_id, name, items)

    async def bench_add_items(self, set_id: str, items: list[dict[str, Any]]) -> list[Row]:
        return self.bench.add_items(set_id, items)

    async def bench_sets(self) -> list[Row]:
        return self.bench.sets()

    async def bench_set(self, set_id: str) -> Row | None:
        return self.bench.get_set(set_id)

    async def bench_items(self, set_id: str | None = None) -> list[Row]:
        return self.bench.items(set_id)

    async def bench_item(self, item_id: str) -> Row | None:
        return self.bench.item(item_id)

    async def bench_update_item(self, item_id: str, changes: dict[str, Any]) -> Row | None:
        return self.bench.update_item(item_id, changes)

    async def bench_item_suites(self, item_id: str) -> list[str]:
        return self.bench.item_suites(item_id)

    async def bench_delete_item(self, item_id: str) -> bool:
        return self.bench.delete_item(item_id)

    async def bench_adopt_upload(self, path: str, item_id: str) -> str:
        """Keep a finished upload of this node as a truth video (only a file of its folder)."""
        got = Path(path)
        if got.parent != self.files.upload_dir or not got.is_file():
            raise ValueError(f"{got.name} is not an upload of node {self.node}")
        return self.bench.adopt_upload(got, item_id)

    async def bench_create_suite(self, suite: dict[str, Any], runs: list[dict[str, Any]]) -> Row:
        return self.bench.create_suite(suite, runs)

    async def bench_suites(self) -> list[Row]:
        return self.bench.suites()

    async def bench_suite(self, suite_id: str) -> Row | None:
        return self.bench.suite(suite_id)

    async def bench_update_suite(self, suite_id: str, name: str, description: str) -> Row | None:
        return self.bench.update_suite(suite_id, name, description)

    async def bench_delete_suite(self, suite_id: str) -> dict[str, int] | None:
        return self.bench.delete_suite(suite_id)

    async def bench_save_results(self, suite_id: str, configurations: list[dict[str, Any]],
                                 scores: list[dict[str, Any]]) -> None:
        self.bench.save_results(suite_id, configurations, scores)

    async def bench_results(self, suite_id: str) -> dict[str, list[Row]]:
        return self.bench.results(suite_id)

    async def bench_export(self, suite_id: str, table: Table, fmt: Format) -> bytes:
        return self.bench.export(suite_id, table, fmt)
