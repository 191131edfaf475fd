"""The store's parts wired as the JobStore actor wires them, without Ray, on a real DuckDB file."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from adclf.config import Settings
from adclf.store.db import JobDB, Row
from adclf.store.files import JobFiles
from adclf.store.queries import JobQueries
from adclf.store.queue import JobQueue
from adclf.store.writer import Writer

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a fresh thread: it has no event loop whatever other test plugins left."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def must(value: T | None) -> T:
    """`value`, which the test expects to be there."""
    assert value is not None
    return value


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    settings = Settings(DATA_DIR=tmp_path, CLEANUP_ENABLED=False, **overrides)
    settings.ensure_dirs()
    return settings


def spec(i: int = 0, **extra: Any) -> dict[str, Any]:
    return {"mode": "pipeline", "source_kind": "file", "source": f"/videos/{i}.mp4",
            "settings": {"scan_mode": "Tail Only"}, **extra}


@dataclass
class Parts:
    settings: Settings
    node: str
    db: JobDB
    writer: Writer
    files: JobFiles
    jobs: JobQueue
    reads: JobQueries

    @classmethod
    def open(cls, settings: Settings, node: str = "node-u") -> Parts:
        db = JobDB(settings.db_path(node))
        writer = Writer(db, node)
        files = JobFiles(node, settings, writer)
        jobs = JobQueue(node, settings, writer)
        return cls(settings, node, db, writer, files, jobs, JobQueries(node, jobs, writer))

    def crash(self) -> Parts:
        """The store dies and starts again: only what was committed survives."""
        self.db.close()
        return Parts.open(self.settings, self.node)

    def on_disk(self, job_id: str) -> Row:
        """The job as the file holds it (not as memory or the staging area do)."""
        row = self.db.get(job_id)
        assert row is not None, f"{job_id} is not in the file"
        return row

    def in_file(self, job_id: str) -> bool:
        return self.db.get(job_id) is not None

    def claim(self, worker_id: str, wait: float = 0.0) -> Row:
        """A claim that must get a job."""
        row = run(self.jobs.claim(worker_id, wait))
        assert row is not None, "no job to claim"
        return row
