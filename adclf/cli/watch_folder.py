"""`adclf watch DIR`: classify every new video that lands in a local folder, once.

The shared engine (adclf.watch) over HTTP: files are uploaded (or, with --server-path, sent by
path for the server to read), and the ledger is a JSON-lines file (.adclf-watch.jsonl) in the
results folder, or in DIR when results are off or written next to the videos. A crash between
the service's answer and the ledger line can submit that one file again on the next start; the
service's own watch folders (WATCH_FOLDERS) do not have that window."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from adclf.cli.client import ApiClient, ApiError
from adclf.cli.upload import upload_file
from adclf.watch.engine import WatchEngine
from adclf.watch.ledger import LEDGER_NAME, FileLedger, LedgerEntry, Rejected
from adclf.watch.results import ResultsWriter, parse_results
from adclf.watch.scanner import FolderScanner

# Refusals that will not change by retrying the same file (bad input, too large, not allowed).
_PERMANENT = (400, 404, 413, 415, 422)


@dataclass
class FolderWatch:
    folder: Path
    results: str = "off"  # off | next_to | folder path
    server_path: bool = False
    settle_seconds: float = 5.0
    interval: float = 2.0
    recursive: bool = True
    once: bool = False
    mode: str = "pipeline"

    def results_writer(self) -> tuple[ResultsWriter | None, Path]:
        """The writer (None when off) and the folder that holds the ledger."""
        mode, target = parse_results(self.results if self.results in ("off", "next_to")
                                     else str(Path(self.results).expanduser().resolve()))
        if mode == "off":
            return None, self.folder
        if mode == "next_to":
            return ResultsWriter("next_to"), self.folder
        assert target is not None
        return ResultsWriter("folder", target), target


class HttpTarget:
    """The engine's door to the service over its HTTP API, with a file ledger."""

    def __init__(self, client: ApiClient, ledger: FileLedger, mode: str,
                 settings: dict[str, Any], server_path: bool) -> None:
        self.client = client
        self.ledger = ledger
        self.mode = mode
        self.settings = settings
        self.server_path = server_path

    async def accepting(self) -> bool:
        return True  # a node in maintenance makes the service place the job elsewhere

    async def claim(self, sha256: str, path: Path) -> tuple[LedgerEntry, bool]:
        known = self.ledger.get(sha256)
        if known is not None:
            return known, False
        try:
            if self.server_path:
                got = self.client.post("/jobs/by-filepath", {
                    "mode": self.mode, "settings": self.settings, "file_path": str(path)})
            else:
                got = upload_file(self.client, path, self.mode, self.settings)
        except ApiError as exc:
            if exc.status in _PERMANENT:
                raise Rejected(exc.message) from None
            raise
        entry = LedgerEntry(sha256, str(path), str(got["job_id"]), time.time())
        self.ledger.add(entry)
        return entry, True

    async def unfinished(self) -> list[LedgerEntry]:
        return self.ledger.unfinished()

    async def jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any] | None]:
        found: dict[str, dict[str, Any] | None] = {}
        for job_id in job_ids:
            try:
                job = self.client.get(f"/jobs/{job_id}")
                job["result"] = None
                if job.get("status") == "completed":
                    result = self.client.get(f"/jobs/{job_id}/result")
                    job["result"] = {k: v for k, v in result.items()
                                     if k not in ("job_id", "status")}
            except ApiError as exc:
                if exc.status != 404:
                    raise
                job = None
            found[job_id] = job
        return found

    async def mark_written(self, sha256: str, status: str) -> None:
        self.ledger.mark_written(sha256, status)


def run_folder_watch(client: ApiClient, watch: FolderWatch, settings: dict[str, Any],
                     out: Console, err: Console) -> int:
    """Watch until interrupted (or, with `once`, until nothing is left); returns how many
    finished jobs failed."""
    writer, ledger_dir = watch.results_writer()
    # A wrong token or address should stop here, not be retried for every file.
    client.get("/jobs", limit=1)
    ledger = FileLedger(ledger_dir / LEDGER_NAME)
    skip = [writer.folder] if writer is not None and writer.folder is not None else []
    scanner = FolderScanner([watch.folder], watch.settle_seconds, recursive=watch.recursive,
                            skip=skip)
    failed = 0

    def report(what: str, path: str, entry: LedgerEntry | None, job: Any) -> None:
        nonlocal failed
        shown = escape(path)
        if what == "submitted" and entry is not None:
            out.print(f"submitted {entry.job_id} {shown}")
        elif what == "known" and entry is not None:
            err.print(f"[dim]already classified as {entry.job_id}: {shown}[/]")
        elif what == "rejected":
            err.print(f"[red]refused: {shown}: {escape(str((job or {}).get('error')))}[/]")
        elif what == "finished" and entry is not None:
            job = job or {}
            status = job.get("status") or "deleted"
            failed += status != "completed"
            detail = (" · ".join(str(job.get(k)) for k in ("brand", "category_name")
                                 if job.get(k)) if status == "completed"
                      else str(job.get("error") or ""))
            out.print(f"{status} {entry.job_id} {shown} {escape(detail)}".rstrip())

    engine = WatchEngine(scanner, HttpTarget(client, ledger, watch.mode, settings,
                                             watch.server_path), writer, report)
    err.print(f"watching {escape(str(watch.folder))} (ledger {escape(str(ledger.path))}"
              + (", until idle" if watch.once else "; Ctrl-C to stop") + ")")
    asyncio.run(engine.run(watch.interval, until_idle=watch.once))
    return failed
