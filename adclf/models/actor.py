"""The model actor: one per node, named `adclf-models-<node>`, holding the node's models (OCR,
text embedder, visual labels, speech, logos) for all of its workers.

An async actor: requests from every worker arrive on one event loop; OCR frames and embedder
texts go through batchers (a short window, a largest batch, a per-request deadline) and run on
a small thread pool, as do the unbatched models (speech and logos serialise inside themselves).
Ray restarts it when it dies (max_restarts); workers' clients retry the lost calls."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from adclf.config import Settings
from adclf.models.batcher import Batcher
from adclf.models.device import pick_device
from adclf.models.loaded import NodeModels, OcrItem
from adclf.pipeline.cores import threads_per_job
from adclf.pipeline.types import Frame, LogoDetection, OcrLine
from adclf.priority import lower_this_thread

log = logging.getLogger("adclf.models")


# The actor turns short bursts of large buffers (frames, audio, tensors) from every worker of the
# node into answers; glibc keeps freed heap resident unless it has a fixed trim threshold (which
# also fixes its mmap threshold, so big buffers go back to the system when freed). Measured on
# benchmarks/models.py's 16 ads: the actor's PSS 756-855 MB without it, 414-415 MB with it, at the
# same throughput within the run's noise.
MODEL_ACTOR_ENV_VARS = {"MALLOC_TRIM_THRESHOLD_": str(1 << 20)}


def model_actor_name(node: str) -> str:
    return f"adclf-models-{node}"


class ModelActor:
    def __init__(self, node: str, settings: Settings, cpus: float | None = None) -> None:
        logging.basicConfig(level=settings.LOG_LEVEL)
        self.node = node
        self.settings = settings
        self.threads = max(1, int(cpus or os.cpu_count() or 1))
        # Each call computes on one job's share of the cores, as a worker holding its own models
        # would: the node's workers call at once, and calls that each spread over every core
        # spin against each other (2 cores, 4 workers: 60-68 ads/min with 2 threads per call,
        # 70-86 with 1; one ad alone no slower).
        self.compute_threads = threads_per_job(settings, self.threads) \
            if settings.WORKERS_PER_NODE > 0 else self.threads
        self.device_info = pick_device()
        self.models = NodeModels(settings, self.compute_threads,
                                 self.device_info["device"] == "cuda")
        # Threads for model calls: OCR and encoder batches, speech and logos can run side by side
        # (each model limits its own compute threads).
        self.pool = ThreadPoolExecutor(self.threads + 4, thread_name_prefix="adclf-models",
                                       initializer=self._lower_priority)
        wait = settings.MODEL_BATCH_WAIT_MS / 1000
        # As many batches at once as calls of one job's share fit in the cores: one batch at a
        # time left OCR, the dearest model, on one core of two (benchmarks/models.py: the node
        # at 0.66-0.68x the ads/min of per-worker models; one ad alone 17-26 % slower).
        self.parallel = max(1, self.threads // self.compute_threads)
        self._ocr: Batcher[OcrItem, list[OcrLine]] = Batcher(
            self.models.ocr_batch, settings.MODEL_BATCH_MAX, wait, self.pool, self.parallel)
        self._encode: Batcher[list[str], np.ndarray] = Batcher(
            self.models.encode_batch, settings.MODEL_BATCH_MAX, wait, self.pool, self.parallel)
        self.timeout = settings.MODEL_CALL_TIMEOUT_SECONDS
        self._warm = threading.Thread(target=self._warm_up, name="adclf-models-warm",
                                      daemon=True)
        # A node without workers (an ingress-only node, a service under test) has nobody to
        # serve yet: its models load on first use instead of costing ~1 GB and a core's worth of
        # loading at start-up.
        if settings.WORKERS_PER_NODE > 0:
            self._warm.start()

    def _lower_priority(self) -> None:
        # in the threads that load and call the models, not in the actor's RPC threads
        lower_this_thread(self.settings.WORKER_NICE, f"model actor {self.node}")

    def _warm_up(self) -> None:
        self._lower_priority()
        self.models.warm()

    async def _thread(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    # ---- models ------------------------------------------------------------------------------
    async def ocr(self, items: list[OcrItem]) -> list[list[OcrLine]]:
        """One job's frames (each its own batch item, so frames of other jobs join them)."""
        got = await asyncio.gather(*(self._ocr.submit(it, self.timeout) for it in items))
        return list(got)

    async def encode(self, texts: list[str]) -> np.ndarray:
        got: np.ndarray = await self._encode.submit(list(texts), self.timeout)
        return got

    async def speech(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Any public method of the node's SpeechRecognizer, with the caller's arguments."""
        if method.startswith("_"):
            raise AttributeError(f"speech recognizer method {method!r} is not public")

        def call() -> Any:
            return getattr(self.models.speech(), method)(*args, **kwargs)

        return await self._thread(call)

    async def speech_attr(self, name: str) -> dict[str, Any]:
        """{"callable": True} for a method (call it through `speech`), else {"value": ...}."""
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(await self._thread(self.models.speech), name)
        return {"callable": True} if callable(value) else {"value": value}

    async def logo_status(self) -> str:
        """'' when logos can be matched, else the user-facing reason."""
        try:
            await self._thread(self.models.logos)
        except RuntimeError as exc:
            return str(exc)
        return ""

    async def logos(self, frames: list[Frame], closer: bool = False) -> list[LogoDetection]:
        return list(await self._thread(lambda: self.models.logos().detect(frames, closer)))

    async def visual(self, frames: list[Frame], top_k: int = 3, max_frames: int = 2
                     ) -> list[tuple[str, float]] | None:
        """None when the visual model is not installed."""
        got: list[tuple[str, float]] | None = await self._thread(
            self.models.visual_labels, frames, top_k, max_frames)
        return got

    # ---- control -----------------------------------------------------------------------------
    async def device(self) -> dict[str, Any]:
        import ray

        return {**self.device_info, "node": self.node, "pid": os.getpid(),
                "ray_node_id": ray.get_runtime_context().get_node_id(),
                "threads": self.threads, "compute_threads": self.compute_threads,
                "parallel_batches": self.parallel,
                "runtimes": self.models.runtimes()}

    async def stats(self) -> dict[str, Any]:
        import psutil

        return {"node": self.node, "pid": os.getpid(),
                "rss_bytes": psutil.Process().memory_info().rss,
                "loaded": self.models.loaded(), "load_seconds": self.models.load_seconds,
                "runtimes": self.models.runtimes(),
                "warm": not self._warm.is_alive(),
                "batch": {"max": self._ocr.max_batch, "wait_ms": self._ocr.wait * 1000,
                          "parallel": self.parallel},
                "ocr": {**self._ocr.stats.public(), "queued": self._ocr.queued},
                "encode": {**self._encode.stats.public(), "queued": self._encode.queued}}

    async def ready(self) -> bool:
        """True once the warm-up has loaded the models."""
        return not self._warm.is_alive()
