"""The service's batch runs: one actor (`adclf-batches`), pinned to a node, that drives each
batch's Ray Data pipeline in a thread and keeps its record in `DATA_DIR/batches/<id>/batch.json`
beside its results.

A batch's id is a hash of what it classifies (source or inputs, mode, settings), so submitting the
same batch again resumes it: inputs already completed in its output are skipped. Ray restarts a
killed actor (max_restarts=-1) and the new one resumes every batch that was running."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from adclf.batch.inputs import BatchInput, inputs_from_list, list_inputs
from adclf.batch.output import Results
from adclf.batch.progress import Progress
from adclf.batch.run import BatchOptions, run_batch
from adclf.config import Settings
from adclf.errors import AdclfError

log = logging.getLogger("adclf.batch")
MANAGER_NAME = "adclf-batches"
SAVE_EVERY = 0.5  # seconds between two writes of a running batch's record
ACTIVE = ("queued", "running")


def batch_id(request: dict[str, Any]) -> str:
    key = {k: request.get(k) for k in ("source", "inputs", "mode", "settings")}
    return "b-" + hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


class BatchManager:
    def __init__(self, settings: Settings) -> None:
        logging.basicConfig(level=settings.LOG_LEVEL)
        self.settings = settings
        self.root = settings.DATA_DIR / "batches"
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._records: dict[str, dict[str, Any]] = {}
        self._threads: dict[str, threading.Thread] = {}
        for path in sorted(self.root.glob("*/batch.json")):
            record = json.loads(path.read_text())
            self._records[record["batch_id"]] = record
            if record["status"] in ACTIVE:  # the previous actor died mid-run
                log.info("resuming batch %s", record["batch_id"])
                self._start(record)

    # ---- remote API ------------------------------------------------------------------------------
    def submit(self, request: dict[str, Any]) -> dict[str, Any]:
        """Start (or resume) a batch; returns its record, or {"refused", "kind"} for a refusal."""
        bid = batch_id(request)
        with self._lock:
            current = self._records.get(bid)
            if current is not None and current["status"] in ACTIVE:
                return current
        try:
            inputs = self._inputs(request)
        except AdclfError as err:
            return {"refused": str(err), "kind": type(err).__name__}
        except (OSError, ValueError) as err:  # an unreadable manifest is the request's fault
            return {"refused": f"cannot read the source: {err}", "kind": "BadInput"}
        record = {"batch_id": bid, "source": request.get("source") or
                  f"{len(request.get('inputs') or [])} listed inputs",
                  "mode": request.get("mode") or "pipeline",
                  "settings": request.get("settings") or {},
                  "concurrency": request.get("concurrency"),
                  "status": "queued", "error": None, "created_at": time.time(),
                  "finished_at": None, "runs": (current or {}).get("runs", 0) + 1,
                  "progress": Progress(total=len(inputs)).to_dict()}
        self._dir(bid).mkdir(parents=True, exist_ok=True)
        _write_json(self._dir(bid) / "inputs.json",
                    [[i.value, i.kind, i.error] for i in inputs])
        self._save(record)
        self._start(record)
        return record

    def get(self, bid: str) -> dict[str, Any] | None:
        with self._lock:
            return self._records.get(bid)

    def all_batches(self) -> list[dict[str, Any]]:
        with self._lock:
            return sorted(self._records.values(), key=lambda r: -r["created_at"])

    def results_size(self, bid: str, fmt: str) -> int | None:
        path = self._results(bid, fmt)
        return path.stat().st_size if path is not None and path.exists() else None

    def results_chunk(self, bid: str, fmt: str, offset: int, size: int) -> bytes:
        path = self._results(bid, fmt)
        if path is None or not path.exists():
            return b""
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read(size)

    def wait_idle(self, timeout: float) -> bool:
        """For tests and shutdown: True when no batch is running within `timeout`."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads.values()):
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads.values())

    # ---- running ---------------------------------------------------------------------------------
    def _inputs(self, request: dict[str, Any]) -> list[BatchInput]:
        if request.get("inputs"):
            return inputs_from_list(list(request["inputs"]), self.settings, restrict=True)
        return list_inputs(str(request.get("source") or ""), self.settings, restrict=True,
                           limit=self.settings.MAX_BATCH_INPUTS)

    def _start(self, record: dict[str, Any]) -> None:
        thread = threading.Thread(target=self._run, args=(record["batch_id"],),
                                  name=f"batch-{record['batch_id']}", daemon=True)
        self._threads[record["batch_id"]] = thread
        thread.start()

    def _run(self, bid: str) -> None:
        record = dict(self._records[bid])
        record.update(status="running", error=None, finished_at=None)
        self._save(record)
        last = [0.0]

        def on_progress(p: Progress) -> None:
            if p.finished_at or time.monotonic() - last[0] >= SAVE_EVERY:
                last[0] = time.monotonic()
                self._save({**record, "progress": p.to_dict()})

        try:
            raw = json.loads((self._dir(bid) / "inputs.json").read_text())
            inputs = [BatchInput(v, k, e) for v, k, e in raw]
            options = BatchOptions(concurrency=record.get("concurrency"),
                                   mode=record["mode"], job_settings=record["settings"])
            progress = run_batch(inputs, self._dir(bid) / "results.parquet", self.settings,
                                 options, on_progress=on_progress)
            record.update(status="completed", progress=progress.to_dict())
        except Exception as err:  # the batch fails with its reason; the actor carries on
            log.error("batch %s failed:\n%s", bid, traceback.format_exc())
            record.update(status="failed", error=f"{type(err).__name__}: {err}",
                          progress=self._records[bid].get("progress"))
        record["finished_at"] = time.time()
        self._save(record)

    def _save(self, record: dict[str, Any]) -> None:
        with self._lock:
            self._records[record["batch_id"]] = record
        _write_json(self._dir(record["batch_id"]) / "batch.json", record)

    def _dir(self, bid: str) -> Path:
        return self.root / bid

    def _results(self, bid: str, fmt: str) -> Path | None:
        if bid not in self._records or fmt not in ("parquet", "csv"):
            return None
        return Results(self._dir(bid) / "results.parquet").parquet if fmt == "parquet" \
            else Results(self._dir(bid) / "results.parquet").csv


def _write_json(path: Path, payload: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, default=str))
    os.replace(tmp, path)
