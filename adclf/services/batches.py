"""Batch runs (POST /batches): started and read through the batch actor; the answers in the API's
shapes. The runs themselves are adclf.batch (Ray Data over the service's Pipeline)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from adclf import errors
from adclf.batch.client import BatchClient
from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.errors import BadInput, NotFound
from adclf.services.views import iso
from adclf.store.client import NAMESPACE

CHUNK = 4 * 1024 * 1024
MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}


class BatchService:
    def __init__(self, settings: Settings, registry: NodeRegistry) -> None:
        self.settings = settings
        self.registry = registry
        self._client: BatchClient | None = None

    def client(self) -> BatchClient:
        if self._client is None:
            # every replica pins the actor to the same node (the first by name), whichever
            # replica starts it: the results live on that node's disk
            nodes = self.registry.nodes()
            placement = nodes[0].placement() if nodes else {}
            self._client = BatchClient.ensure(self.settings, NAMESPACE, placement)
        return self._client

    async def submit(self, source: str | None, inputs: list[str] | None, mode: str,
                     settings: dict[str, Any], concurrency: int | None) -> dict[str, Any]:
        if bool(source) == bool(inputs):
            raise BadInput("give either `source` (a folder, manifest or glob) or `inputs`")
        record = await self.client().submit({
            "source": source, "inputs": inputs, "mode": mode, "settings": settings,
            "concurrency": concurrency})
        if "refused" in record:
            kind = getattr(errors, str(record.get("kind")), BadInput)
            raise (kind if isinstance(kind, type) and issubclass(kind, errors.AdclfError)
                   else BadInput)(record["refused"])
        return view(record)

    async def get(self, batch_id: str) -> dict[str, Any]:
        record = await self.client().get(batch_id)
        if record is None:
            raise NotFound(f"no such batch: {batch_id[:80]!r}")
        return view(record)

    async def list(self) -> list[dict[str, Any]]:
        return [view(r) for r in await self.client().all_batches()]

    async def results(self, batch_id: str, fmt: str) -> tuple[int, AsyncIterator[bytes]]:
        """The results file's size and its bytes, streamed in chunks from the batch actor."""
        await self.get(batch_id)
        client = self.client()
        size = await client.results_size(batch_id, fmt)
        if size is None:
            raise NotFound(f"batch {batch_id} has no results yet")

        async def chunks() -> AsyncIterator[bytes]:
            offset = 0
            while offset < size:
                data = await client.results_chunk(batch_id, fmt, offset, min(CHUNK, size - offset))
                if not data:
                    return
                offset += len(data)
                yield data

        return size, chunks()


def view(record: dict[str, Any]) -> dict[str, Any]:
    done = record["status"] == "completed"
    bid = record["batch_id"]
    return {
        **{k: record.get(k) for k in ("batch_id", "source", "mode", "settings", "status", "error",
                                       "concurrency", "runs")},
        "created_at": iso(record.get("created_at")),
        "finished_at": iso(record.get("finished_at")),
        "progress": record.get("progress") or {},
        "results": {fmt: f"/batches/{bid}/results?format={fmt}" for fmt in MEDIA} if done else {},
    }
