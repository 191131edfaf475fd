"""The watch loop: scan, hash what is ready, submit it once, write results when jobs finish.

Plain asyncio, no Ray: the service runs it in a per-node watcher actor, the CLI with
asyncio.run. Blocking work (walking, /proc, hashing) runs in a thread so the loop stays free."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adclf.watch.hashing import sha256_file
from adclf.watch.ledger import LedgerEntry, Rejected, WatchTarget
from adclf.watch.results import ResultsWriter
from adclf.watch.scanner import FolderScanner, FoundFile

log = logging.getLogger("adclf.watch")

FINAL = ("completed", "failed")
POLL_BATCH = 200

# (what happened, the file or entry's path, the entry, the job when final); what: "submitted",
# "known" (the content was classified before), "rejected", "finished"
Report = Callable[[str, str, LedgerEntry | None, dict[str, Any] | None], None]


def _quiet(*_: object) -> None:
    pass


class WatchEngine:
    """`track`: follow submitted jobs to their end (to write results or report them); a watch
    with results off and nobody to tell needs not."""

    def __init__(self, scanner: FolderScanner, target: WatchTarget,
                 results: ResultsWriter | None = None, report: Report = _quiet,
                 track: bool = True) -> None:
        self.scanner = scanner
        self.target = target
        self.results = results
        self.report = report
        self.track = track or results is not None
        self.unfinished: dict[str, LedgerEntry] = {}
        self.started = False
        self.last_error: str | None = None
        self.submitted = 0

    async def start(self) -> None:
        if self.track:
            self.unfinished = {e.job_id: e for e in await self.target.unfinished()}
        self.started = True

    def idle(self) -> bool:
        """Nothing left to do now: every file seen is handled, every tracked job written."""
        return self.scanner.scans >= 2 and self.scanner.pending == 0 and not self.unfinished

    # ---- one round ---------------------------------------------------------------------------
    async def tick(self) -> None:
        if not self.started:
            await self.start()
        ready = await asyncio.to_thread(self.scanner.scan)
        if ready and not await self.target.accepting():
            for found in ready:
                self.scanner.again(found)
            ready = []
        for found in ready:
            await self._submit(found)
        if self.unfinished:
            await self._collect()

    async def _submit(self, found: FoundFile) -> None:
        try:
            sha = await asyncio.to_thread(sha256_file, found.path)
        except OSError as exc:  # deleted or unreadable meanwhile
            log.info("watch: cannot read %s (%s); skipped", found.path, exc)
            self.scanner.again(found)
            return
        if not found.unchanged():  # written to while hashed: not complete after all
            self.scanner.again(found)
            return
        try:
            entry, created = await self.target.claim(sha, found.path)
        except Rejected as exc:
            self.scanner.handed(found)
            log.warning("watch: %s refused: %s", found.path, exc)
            self.report("rejected", str(found.path), None, {"error": str(exc)})
            return
        except Exception as exc:  # noqa: BLE001 - transient (service down, store restarting)
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("watch: submitting %s failed, retried later: %s", found.path,
                        self.last_error)
            self.scanner.again(found)
            return
        self.scanner.handed(found)
        if created:
            self.submitted += 1
            if self.track:
                self.unfinished[entry.job_id] = entry
        self.report("submitted" if created else "known", str(found.path), entry, None)

    async def _collect(self) -> None:
        ids = list(self.unfinished)
        for i in range(0, len(ids), POLL_BATCH):
            try:
                jobs = await self.target.jobs(ids[i:i + POLL_BATCH])
            except Exception as exc:  # noqa: BLE001 - transient: asked again next round
                self.last_error = f"{type(exc).__name__}: {exc}"
                return
            for job_id, job in jobs.items():
                if job is not None and job.get("status") not in FINAL:
                    continue
                entry = self.unfinished[job_id]
                status = "deleted" if job is None else str(job["status"])
                if job is not None and self.results is not None:
                    try:
                        await asyncio.to_thread(self.results.write, entry, job,
                                                self._root_of(entry))
                    except OSError as exc:
                        log.warning("watch: cannot write the results of %s: %s", entry.path,
                                    exc)
                        self.last_error = f"results: {exc}"
                        continue  # tried again next round
                await self.target.mark_written(entry.sha256, status)
                del self.unfinished[job_id]
                self.report("finished", entry.path, entry, job)

    def _root_of(self, entry: LedgerEntry) -> Path:
        path = Path(entry.path)
        roots = [f for f in self.scanner.folders if path.is_relative_to(f)]
        return max(roots, key=lambda f: len(f.parts)) if roots else path.parent

    # ---- the loop ----------------------------------------------------------------------------
    async def run(self, interval: float, stop: asyncio.Event | None = None,
                  until_idle: bool = False) -> None:
        """Round after round until `stop` is set (or, with `until_idle`, nothing is left)."""
        while stop is None or not stop.is_set():
            t0 = time.monotonic()
            try:
                await self.tick()
            except Exception as exc:  # noqa: BLE001 - one bad round must not end the watch
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.exception("watch round failed")
            if until_idle and self.idle():
                return
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - t0)))

    def status(self) -> dict[str, Any]:
        return {"folders": [str(f) for f in self.scanner.folders], "scans": self.scanner.scans,
                "pending_files": self.scanner.pending, "busy_files": self.scanner.busy,
                "unfinished_jobs": len(self.unfinished), "submitted": self.submitted,
                "last_error": self.last_error}
