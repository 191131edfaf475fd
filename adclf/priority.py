"""Lower the priority of the calling thread (and of the threads and processes it starts)."""

from __future__ import annotations

import logging
import os

log = logging.getLogger("adclf")


def lower_this_thread(nice: int, who: str) -> None:
    """Linux niceness is per thread and inherited: set in a thread that runs models or decoding,
    it covers their ONNX/torch thread pools and ffmpeg children, not the actor's RPC threads, so
    the ingress and the store keep answering first (WORKER_NICE; docs/latency.md)."""
    if not nice:
        return
    try:
        os.nice(nice)
    except OSError as exc:
        log.warning("%s: cannot lower priority: %s", who, exc)
