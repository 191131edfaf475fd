"""What a watch remembers: the content hash of every file it submitted and the job it made.

`WatchTarget` is the engine's one door to the outside; the service implements it over the node's
store (the ledger is a DuckDB table there, adclf.store.watch_ledger), the CLI over HTTP with a
`FileLedger` (a JSON-lines file beside the results)."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger("adclf.watch")

LEDGER_NAME = ".adclf-watch.jsonl"


@dataclass
class LedgerEntry:
    sha256: str
    path: str  # where the content was first seen
    job_id: str
    created_at: float
    written: str | None = None  # the job's final status once its results were written

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LedgerEntry:
        return cls(str(row["sha256"]), str(row["path"]), str(row["job_id"]),
                   float(row["created_at"]), row.get("written"))


class Rejected(Exception):
    """The service refused a file for good (not a video, too large): do not retry it until the
    file changes or the watch restarts."""


class WatchTarget(Protocol):
    async def accepting(self) -> bool:
        """False while new jobs cannot be taken (maintenance): files wait."""

    async def claim(self, sha256: str, path: Path) -> tuple[LedgerEntry, bool]:
        """Submit `path` unless its hash is in the ledger; (entry, whether a job was created).
        Raises Rejected for a permanent refusal, anything else for a transient failure."""

    async def unfinished(self) -> list[LedgerEntry]:
        """Entries whose results are not written yet (read once when the watch starts)."""

    async def jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any] | None]:
        """Each job as GET /jobs/{id} shows it, plus `result` when completed; None when the
        job no longer exists."""

    async def mark_written(self, sha256: str, status: str) -> None:
        """The results of this entry's job are written (or there are none to write)."""


class FileLedger:
    """An append-only JSON-lines file: one line per submission, one per written result. Read
    whole at start (a torn last line from a crash is skipped); appends are flushed and synced
    before the caller goes on, so a restart sees every submission it acknowledged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, LedgerEntry] = {}
        if path.exists():
            self._load()

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    rec = json.loads(line)
                except ValueError:
                    log.warning("%s line %d is not JSON (a write cut short?); skipped",
                                self.path, n)
                    continue
                if "job_id" in rec:
                    self.entries[rec["sha256"]] = LedgerEntry.from_row(rec)
                elif rec.get("sha256") in self.entries:
                    self.entries[rec["sha256"]].written = rec.get("written")

    def _append(self, record: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def get(self, sha256: str) -> LedgerEntry | None:
        return self.entries.get(sha256)

    def add(self, entry: LedgerEntry) -> None:
        self._append({k: v for k, v in asdict(entry).items() if k != "written"})
        self.entries[entry.sha256] = entry

    def mark_written(self, sha256: str, status: str) -> None:
        self._append({"sha256": sha256, "written": status, "at": time.time()})
        if sha256 in self.entries:
            self.entries[sha256].written = status

    def unfinished(self) -> list[LedgerEntry]:
        return [e for e in self.entries.values() if e.written is None]
