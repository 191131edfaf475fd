"""The one door to the batch actor (`adclf-batches`): the service calls it through this class."""

from __future__ import annotations

from typing import Any

import ray

from adclf.batch.manager import MANAGER_NAME, BatchManager
from adclf.config import Settings

# threaded: each batch runs in a thread of its own while reads are answered
BatchManagerActor = ray.remote(BatchManager)
WORKER_ENV = {"env_vars": {"MALLOC_ARENA_MAX": "2", "HF_HUB_OFFLINE": "1",
                           "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}}


class BatchClient:
    def __init__(self, handle: Any) -> None:
        self.handle = handle

    @classmethod
    def ensure(cls, settings: Settings, namespace: str,
               placement: dict[str, Any] | None = None) -> BatchClient:
        """Find or start the batch actor; `placement` pins it (and its results) to a node."""
        handle = BatchManagerActor.options(
            name=MANAGER_NAME, namespace=namespace, lifetime="detached", get_if_exists=True,
            max_restarts=-1, num_cpus=0, max_concurrency=32, runtime_env=WORKER_ENV,
            **(placement or {})).remote(settings)
        return cls(handle)

    async def submit(self, request: dict[str, Any]) -> dict[str, Any]:
        got: dict[str, Any] = await self.handle.submit.remote(request)
        return got

    async def get(self, batch_id: str) -> dict[str, Any] | None:
        got: dict[str, Any] | None = await self.handle.get.remote(batch_id)
        return got

    async def all_batches(self) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = await self.handle.all_batches.remote()
        return got

    async def results_size(self, batch_id: str, fmt: str) -> int | None:
        got: int | None = await self.handle.results_size.remote(batch_id, fmt)
        return got

    async def results_chunk(self, batch_id: str, fmt: str, offset: int, size: int) -> bytes:
        got: bytes = await self.handle.results_chunk.remote(batch_id, fmt, offset, size)
        return got
