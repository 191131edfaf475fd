"""Worker actor: claims jobs from its node's store, runs the pipeline, reports, finishes.

Ray restarts a killed worker (max_restarts=-1); the job it held comes back through its lease."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import ray

from adclf.config import Settings
from adclf.domain import JobSettings, JobSpec, Stage
from adclf.errors import JobCancelled, PipelineError
from adclf.priority import lower_this_thread
from adclf.store.client import NAMESPACE, WorkerStoreClient, store_actor_name
from adclf.workers.reporter import StoreReporter

log = logging.getLogger("adclf.worker")


def worker_actor_name(node: str, index: int) -> str:
    return f"adclf-worker-{node}-{index}"


class Worker:
    def __init__(self, node: str, index: int, settings: Settings) -> None:
        logging.basicConfig(level=settings.LOG_LEVEL)
        self.node = node
        self.worker_id = f"{node}-w{index}"
        self.settings = settings
        self.current: str | None = None
        self.processed = 0
        self.failed = 0
        self._stop = threading.Event()
        self._pipeline: Any = None
        self._models: Any = None  # ModelClient when the node's model actor serves the models
        self._thread = threading.Thread(target=self._loop, name=self.worker_id, daemon=True)
        self._thread.start()

    # ---- control -----------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return {"worker_id": self.worker_id, "node": self.node, "current_job": self.current,
                "processed": self.processed, "failed": self.failed,
                "alive": self._thread.is_alive(),
                "pid": os.getpid(), "model_actor": self._models is not None,
                "model_retries": self._models.retries if self._models is not None else 0,
                "node_id": ray.get_runtime_context().get_node_id()}

    def stop(self) -> None:
        self._stop.set()

    # ---- the loop ----------------------------------------------------------------------------
    def _store(self) -> WorkerStoreClient:
        return WorkerStoreClient(ray.get_actor(store_actor_name(self.node), namespace=NAMESPACE))

    def _warm(self) -> None:
        try:
            pipeline = self._pipeline_obj()
            from adclf.pipeline.warmup import warmup

            warmup(self.settings, pipeline.threads)
        except Exception:  # a broken model shows up as failed jobs with reasons, not here
            log.exception("%s: warm-up failed", self.worker_id)

    def _loop(self) -> None:
        lower_this_thread(self.settings.WORKER_NICE, self.worker_id)
        self._warm()
        store: WorkerStoreClient | None = None
        row: dict[str, Any] | None = None
        # A job already handed over (by complete_and_claim) is run even if a stop came meanwhile,
        # as a claimed job always was: otherwise it would sit leased until its lease expired.
        while row is not None or not self._stop.is_set():
            if row is None:
                try:
                    if store is None:
                        store = self._store()
                    row = store.claim(self.worker_id, wait=2.0)
                except Exception:
                    # Store restarting or not created yet: back off and look it up again.
                    store = None
                    time.sleep(1.0)
                    continue
            if row is not None and store is not None:
                row = self._run(store, row)

    def _pipeline_obj(self) -> Any:
        if self._pipeline is None:
            from adclf.pipeline.runner import Pipeline

            if self.settings.MODEL_ACTOR == "node":
                # The node's model actor holds the models; this process only decodes.
                from adclf.models.client import ModelClient
                from adclf.models.proxies import RemoteModels
                from adclf.pipeline import model_source

                self._models = ModelClient(self.node, self.settings.MODEL_CALL_TIMEOUT_SECONDS)
                model_source.install(RemoteModels(self._models))

            here = ray.get_runtime_context().get_node_id()
            cpus = next((n["Resources"].get("CPU") for n in ray.nodes()
                         if n["NodeID"] == here), None)
            self._pipeline = Pipeline(self.settings, cpus=cpus)
        return self._pipeline

    def _run(self, store: WorkerStoreClient, row: dict[str, Any]) -> dict[str, Any] | None:
        """Run one job; returns the next job when finishing it also claimed one."""
        import json

        job_id = row["job_id"]
        self.current = job_id
        reporter = StoreReporter(store, job_id, self.worker_id, self.settings.HEARTBEAT_SECONDS)
        work_dir = self.settings.artifacts_dir / job_id
        try:
            spec = JobSpec(
                job_id=job_id, node=self.node, mode=row.get("mode") or "pipeline",
                source_kind=row["source_kind"], source=row["source"],
                original_name=row.get("original_name"),
                settings=JobSettings.model_validate(json.loads(row.get("settings") or "{}")),
                attempt=int(row.get("attempts") or 1),
            )
            work_dir.mkdir(parents=True, exist_ok=True)
            pipeline = self._pipeline_obj()
            result = pipeline.run(spec, work_dir, reporter)
            reporter.stage(Stage.PERSIST, "saving the result")
            from adclf.pipeline.artifacts import artifact_index

            artifacts = artifact_index(result, work_dir)
            nxt: dict[str, Any] | None = None
            if self._stop.is_set():
                store.complete(job_id, self.worker_id, result.result_row(),
                               result.explanation(), artifacts)
            else:
                _, nxt = store.complete_and_claim(job_id, self.worker_id, result.result_row(),
                                                  result.explanation(), artifacts)
            self.processed += 1
            return nxt
        except JobCancelled:
            log.info("%s: job %s was deleted or re-assigned; dropping it", self.worker_id, job_id)
            if reporter.lost.is_set() and not _still_exists(store, job_id, self.worker_id):
                shutil.rmtree(work_dir, ignore_errors=True)
        except PipelineError as exc:
            self.failed += 1
            message = str(exc)
            _safe(lambda: store.fail(job_id, self.worker_id, message, retry=False,
                                     artifacts=_partial_artifacts(work_dir)))
        except Exception as exc:  # a bug or a resource problem: retry on a fresh attempt
            self.failed += 1
            log.error("%s: job %s crashed:\n%s", self.worker_id, job_id, traceback.format_exc())
            reason = f"internal error: {type(exc).__name__}: {exc}"
            _safe(lambda: store.fail(job_id, self.worker_id, reason, retry=True))
        finally:
            reporter.close()
            self.current = None
        return None


def _still_exists(store: WorkerStoreClient, job_id: str, worker_id: str) -> bool:
    # A re-queued job is still wanted (another worker will redo it); a deleted one is not.
    try:
        return bool(ray.get(store.handle.get.remote(job_id)))
    except Exception:
        return True


def _partial_artifacts(work_dir: Path) -> dict[str, Any] | None:
    frames = sorted(p.name for p in (work_dir / "frames").glob("*.jpg")) \
        if (work_dir / "frames").exists() else []
    return {"frames": [{"name": f"frames/{n}", "timestamp": None} for n in frames]} if frames \
        else None


def _safe(fn: Any) -> None:
    try:
        fn()
    except Exception:
        log.exception("could not report a job's end to the store")
