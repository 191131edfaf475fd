"""The pipeline's Reporter backed by the node's job store, with the job's lease kept alive."""

from __future__ import annotations

import logging
import threading

from adclf.domain import Stage
from adclf.errors import JobCancelled
from adclf.store.client import WorkerStoreClient

log = logging.getLogger("adclf.worker")


class StoreReporter:
    def __init__(self, store: WorkerStoreClient, job_id: str, worker_id: str,
                 heartbeat_seconds: float) -> None:
        self.store = store
        self.job_id = job_id
        self.worker_id = worker_id
        self.lost = threading.Event()
        self._done = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, args=(heartbeat_seconds,),
                                      name=f"heartbeat-{job_id}", daemon=True)
        self._beat.start()

    def _heartbeat(self, every: float) -> None:
        while not self._done.wait(every):
            try:
                if not self.store.heartbeat(self.job_id, self.worker_id):
                    self.lost.set()
                    return
            except Exception:  # the store may be restarting; the lease covers a short gap
                log.warning("heartbeat for %s failed; will retry", self.job_id, exc_info=True)

    def close(self) -> None:
        self._done.set()

    def _check(self, ok: bool) -> None:
        if not ok or self.lost.is_set():
            self.lost.set()
            raise JobCancelled(self.job_id)

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None:
        self._check(self.store.update_stage(self.job_id, self.worker_id, str(stage), detail,
                                            progress))

    def event(self, message: str) -> None:
        self._check(self.store.add_event(self.job_id, self.worker_id, message))
