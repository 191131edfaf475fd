"""Workers run their pipeline below the API and the store (WORKER_NICE): only the pipeline thread
and what it starts, not the whole process."""

from __future__ import annotations

import os
from pathlib import Path

import ray
from support import LiveServer


def _nice_by_thread(pid: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        out[int(task.name)] = int(fields[16])  # field 19 of stat: nice
    return out


def test_pipeline_threads_are_niced_and_the_actor_thread_is_not(live_server: LiveServer) -> None:
    worker = ray.get_actor("adclf-worker-node-a-0", namespace="adclf")
    pid = ray.get(worker.__ray_call__.remote(lambda self: os.getpid()), timeout=60)
    want = ray.get(worker.__ray_call__.remote(lambda self: self.settings.WORKER_NICE), timeout=60)
    assert want > 0
    _assert_lowered_and_not(pid, want)


def test_model_actor_compute_threads_are_niced_and_its_actor_thread_is_not(
        live_server: LiveServer) -> None:
    models = ray.get_actor("adclf-models-node-a", namespace="adclf")
    pid = ray.get(models.device.remote(), timeout=60)["pid"]
    assert ray.get(models.encode.remote(["warm the pool"]), timeout=120) is not None
    want = ray.get(models.__ray_call__.remote(lambda self: self.settings.WORKER_NICE), timeout=60)
    # the pool thread that ran the encoder (and any model thread pools it started) is lowered
    _assert_lowered_and_not(pid, want)


def _assert_lowered_and_not(pid: int, want: int) -> None:
    """Some threads of the process run `want` lower than its main thread, and some do not.
    Ray starts every actor process at its worker niceness (15 by default, 0 in `make run`): the
    actor's own thread keeps it, so Ray calls are served like the store's and the ingress's."""
    nice = _nice_by_thread(pid)
    base = nice[pid]
    lowered = min(19, base + want)
    assert lowered > base, nice
    assert sum(1 for n in nice.values() if n == lowered) >= 1, nice
    assert sum(1 for n in nice.values() if n == base) >= 1, nice
