"""The files a node owns: uploads in progress, each job's artifacts, retention and exports.

Uploads and artifacts live on the node that runs the job, so they are written and served by that
node's store (the API may run anywhere). Plain Python, no Ray: the JobStore actor delegates here."""

from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from collections.abc import Awaitable, Callable, Collection
from pathlib import Path
from typing import Any

from adclf.config import Settings
from adclf.security.paths import is_within
from adclf.store.db import Row
from adclf.store.writer import Writer

log = logging.getLogger("adclf.store")

CHUNK_LIMIT = 8 * 1024 * 1024


class JobFiles:
    def __init__(self, node: str, settings: Settings, writer: Writer) -> None:
        self.node = node
        self.settings = settings
        self.writer = writer
        self._uploads: dict[str, Path] = {}
        # Per-node sub-folder: nodes sharing a disk must not take each other's files as orphans.
        self.upload_dir = settings.upload_dir / node
        self.upload_dir.mkdir(parents=True, exist_ok=True)

    # ---- uploads -----------------------------------------------------------------------------
    def upload_open(self, suffix: str) -> str:
        token = f"{uuid.uuid4().hex}{suffix}"
        path = self.upload_dir / token
        path.write_bytes(b"")
        self._uploads[token] = path
        return token

    def upload_append(self, token: str, data: bytes) -> int:
        path = self._uploads[token]
        with path.open("ab") as fh:
            fh.write(data)
        return path.stat().st_size

    def upload_close(self, token: str, abort: bool = False) -> str | None:
        path = self._uploads.pop(token)
        if abort:
            path.unlink(missing_ok=True)
            return None
        return str(path)

    # ---- a job's files -----------------------------------------------------------------------
    def job_file(self, row: Row, name: str) -> Path | None:
        """`name` is "video" (the job's input) or a path inside the job's artifacts folder; a
        name that leads out of that folder finds nothing."""
        if name == "video":
            artifacts = _json(row.get("artifacts")) or {}
            job_dir = self.settings.artifacts_dir / row["job_id"]
            if artifacts.get("video"):
                path = job_dir / artifacts["video"]
            elif row.get("source_kind") in ("file", "upload"):
                path = Path(row["source"])
            else:
                # A URL job's download lands in <job>/source/ (see pipeline.sources).
                found = sorted((job_dir / "source").glob("*")) if (job_dir / "source").is_dir() \
                    else []
                if not found:
                    return None
                path = found[0]
            return path if path.is_file() else None
        root = self.settings.artifacts_dir / row["job_id"]
        path = root / name
        if not is_within(path, root) or not path.is_file():
            return None
        return path

    def file_info(self, row: Row | None, name: str) -> dict[str, Any] | None:
        path = None if row is None else self.job_file(row, name)
        if path is None:
            return None
        return {"size": path.stat().st_size, "name": path.name}

    def read_file(self, row: Row | None, name: str, offset: int = 0,
                  length: int = CHUNK_LIMIT) -> bytes | None:
        path = None if row is None else self.job_file(row, name)
        if path is None:
            return None
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read(min(length, CHUNK_LIMIT))

    def remove_job_files(self, row: Row) -> None:
        """A deleted job's artifacts, and its upload (only one this node's upload folder holds)."""
        shutil.rmtree(self.settings.artifacts_dir / row["job_id"], ignore_errors=True)
        if row.get("source_kind") == "upload" and row.get("source"):
            path = Path(row["source"])
            if path.parent == self.upload_dir:
                path.unlink(missing_ok=True)

    # ---- retention ---------------------------------------------------------------------------
    async def cleanup(self, active: Collection[str],
                      delete: Callable[[list[str]], Awaitable[list[str]]],
                      grace_seconds: float = 3600.0) -> dict[str, Any]:
        """Remove final jobs past JOB_TTL_DAYS (through `delete`, which removes their rows and
        files), and orphaned artifacts/uploads older than `grace_seconds`. `active`: the ids of
        the jobs in memory (some may not be in the file yet)."""
        db = self.writer.db
        await self.writer.flush()
        cutoff = time.time() - self.settings.JOB_TTL_DAYS * 86400
        old = db.final_older_than(cutoff)
        removed = await delete(old) if old else []
        known = db.all_ids_and_sources()
        job_ids = {j for j, _, _ in known} | set(active)
        sources = {Path(s) for _, kind, s in known if kind == "upload" and s}
        sources |= set(self._uploads.values())
        young = time.time() - grace_seconds
        orphan_artifacts: list[str] = []
        art_root = self.settings.artifacts_dir
        if art_root.exists():
            for d in art_root.iterdir():
                owned_here = d.name.startswith(f"{self.node}-")
                if owned_here and d.name not in job_ids and d.stat().st_mtime < young:
                    shutil.rmtree(d, ignore_errors=True)
                    orphan_artifacts.append(d.name)
        orphan_uploads: list[str] = []
        up_root = self.upload_dir
        if up_root.exists():
            for f in up_root.iterdir():
                if f.is_file() and f not in sources and f.stat().st_mtime < young:
                    f.unlink(missing_ok=True)
                    orphan_uploads.append(f.name)
        db.trim_events()
        report = {"node": self.node, "jobs_removed": removed,
                  "orphan_artifacts_removed": orphan_artifacts,
                  "orphan_uploads_removed": orphan_uploads}
        if removed or orphan_artifacts or orphan_uploads:
            log.info("cleanup on %s: %s", self.node, report)
        return report

    # ---- exports -----------------------------------------------------------------------------
    async def export(self, path: str, fmt: str) -> int:
        await self.writer.flush()
        return self.writer.db.export(Path(path), fmt)

    async def export_bytes(self, fmt: str) -> bytes:
        await self.writer.flush()
        tmp = self.settings.DATA_DIR / f".export-{uuid.uuid4().hex}.{fmt}"
        try:
            self.writer.db.export(tmp, fmt)
            return tmp.read_bytes()
        finally:
            tmp.unlink(missing_ok=True)


def _json(value: Any) -> Any:
    if value is None or isinstance(value, dict | list):
        return value
    return json.loads(value)
