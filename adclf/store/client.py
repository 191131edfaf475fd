"""The only way into a node's JobStore actor. Async methods for the API, sync ones for workers."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import ray
from ray.actor import ActorHandle

from adclf.errors import NotFound, TooMany, Unavailable
from adclf.store.db import Row

NAMESPACE = "adclf"


def store_actor_name(node: str) -> str:
    return f"adclf-store-{node}"


class StoreClient:
    def __init__(self, node: str, handle: ActorHandle) -> None:
        self.node = node
        self.handle = handle

    @classmethod
    def lookup(cls, node: str) -> StoreClient:
        try:
            handle = ray.get_actor(store_actor_name(node), namespace=NAMESPACE)
        except ValueError:
            raise Unavailable(f"node {node!r} has no job store (unknown or not started)") from None
        return cls(node, handle)

    async def _call(self, method: str, *args: Any, group: str | None = None,
                    **kwargs: Any) -> Any:
        """`group`: the actor's concurrency group to run in (None: its main loop)."""
        call = getattr(self.handle, method)
        if group is not None:
            call = call.options(concurrency_group=group)
        try:
            return await call.remote(*args, **kwargs)
        except ray.exceptions.RayActorError as exc:
            raise Unavailable(f"node {self.node} is unavailable: its job store is not "
                              f"reachable ({type(exc).__name__})") from exc

    # ---- API side ----------------------------------------------------------------------------
    async def create_jobs(self, specs: list[dict[str, Any]]) -> list[Row]:
        try:
            rows: list[Row] = await self._call("create_jobs", specs)
        except ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, OverflowError):
                raise TooMany(str(exc.cause)) from None
            raise
        return rows

    async def get(self, job_id: str) -> Row:
        # In the store's "reads" group: a poll does not wait behind the main loop's commits.
        row: Row | None = await self._call("peek", job_id, group="reads")
        if row is None:
            raise NotFound(f"job {job_id} not found")
        return row

    async def list_jobs(self, statuses: list[str] | None = None, query: str | None = None,
                        limit: int = 100, offset: int = 0) -> dict[str, Any]:
        got: dict[str, Any] = await self._call("list_jobs", statuses, query, limit, offset)
        return got

    async def events(self, job_id: str) -> list[Row]:
        await self.get(job_id)
        got: list[Row] = await self._call("events", job_id)
        return got

    async def wait_change(self, job_id: str, since: float | None, timeout: float) -> Row | None:
        got: Row | None = await self._call("wait_change", job_id, since, timeout)
        return got

    async def delete(self, job_ids: list[str]) -> dict[str, list[str]]:
        got: dict[str, list[str]] = await self._call("delete", job_ids)
        return got

    async def stats(self, timeout: float = 5.0) -> dict[str, Any]:
        got: dict[str, Any] = await asyncio.wait_for(self._call("stats"), timeout)
        return got

    async def analytics(self) -> dict[str, Any]:
        got: dict[str, Any] = await self._call("analytics")
        return got

    async def ping(self, timeout: float = 5.0) -> dict[str, Any]:
        got: dict[str, Any] = await asyncio.wait_for(self._call("ping"), timeout)
        return got

    async def set_maintenance(self, enabled: bool) -> bool:
        got: bool = await self._call("set_maintenance", enabled)
        return got

    async def cleanup(self) -> dict[str, Any]:
        got: dict[str, Any] = await self._call("cleanup")
        return got

    async def file_info(self, job_id: str, name: str) -> dict[str, Any] | None:
        got: dict[str, Any] | None = await self._call("file_info", job_id, name)
        return got

    async def read_file(self, job_id: str, name: str, offset: int, length: int) -> bytes | None:
        got: bytes | None = await self._call("read_file", job_id, name, offset, length)
        return got

    async def export_bytes(self, fmt: str) -> bytes:
        got: bytes = await self._call("export_bytes", fmt)
        return got

    async def upload_open(self, suffix: str) -> str:
        got: str = await self._call("upload_open", suffix)
        return got

    async def upload_append(self, token: str, data: bytes) -> int:
        got: int = await self._call("upload_append", token, data)
        return got

    async def upload_close(self, token: str, abort: bool = False) -> str | None:
        got: str | None = await self._call("upload_close", token, abort)
        return got

    async def local_upload_dir(self) -> str:
        """The store's upload folder, as a path on its node's disk."""
        got: str = await self._call("local_upload_dir")
        return got

    async def get_many(self, job_ids: list[str]) -> list[Row]:
        """The jobs that exist among `job_ids` (full rows, results included)."""
        got: list[Row] = await self._call("get_many", job_ids)
        return got

    # ---- watch folders -----------------------------------------------------------------------
    async def watch_claim(self, sha256: str, path: str, spec: dict[str, Any]
                          ) -> dict[str, Any]:
        try:
            got: dict[str, Any] = await self._call("watch_claim", sha256, path, spec)
        except ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, OverflowError):
                raise TooMany(str(exc.cause)) from None
            raise
        return got

    async def watch_unfinished(self) -> list[Row]:
        got: list[Row] = await self._call("watch_unfinished")
        return got

    async def watch_mark_written(self, sha256: str, status: str) -> bool:
        got: bool = await self._call("watch_mark_written", sha256, status)
        return got

    async def watch_entries(self, limit: int = 100, offset: int = 0) -> list[Row]:
        got: list[Row] = await self._call("watch_entries", limit, offset)
        return got

    # ---- webhook outbox (adclf.webhooks.delivery) --------------------------------------------
    async def outbox_due(self, limit: int, lease: float, wait: float = 0.0) -> list[Row]:
        got: list[Row] = await self._call("outbox_due", limit, lease, wait)
        return got

    async def outbox_report(self, job_id: str, state: str, message: str,
                            retry_at: float | None = None) -> bool:
        got: bool = await self._call("outbox_report", job_id, state, message, retry_at)
        return got

    async def outbox_entry(self, job_id: str) -> Row | None:
        got: Row | None = await self._call("outbox_entry", job_id)
        return got

    # ---- benchmark lab (services.benchmarks) -------------------------------------------------
    async def bench(self, method: str, *args: Any) -> Any:
        """One of the actor's `bench_*` methods (adclf.store.benchmarks has their contracts)."""
        return await self._call(f"bench_{method}", *args)


class WorkerStoreClient:
    """The blocking subset a worker thread uses."""

    def __init__(self, handle: ActorHandle) -> None:
        self.handle = handle

    def claim(self, worker_id: str, wait: float) -> Row | None:
        got = cast("Row | None", ray.get(self.handle.claim.remote(worker_id, wait)))
        return dict(got) if got is not None else None

    def heartbeat(self, job_id: str, worker_id: str) -> bool:
        return bool(ray.get(self.handle.heartbeat.remote(job_id, worker_id)))

    def update_stage(self, job_id: str, worker_id: str, stage: str, detail: str,
                     progress: float | None) -> bool:
        return bool(ray.get(
            self.handle.update_stage.remote(job_id, worker_id, stage, detail, progress)))

    def add_event(self, job_id: str, worker_id: str, message: str) -> bool:
        return bool(ray.get(self.handle.add_event.remote(job_id, worker_id, message)))

    def complete(self, job_id: str, worker_id: str, result: dict[str, Any],
                 explanation: dict[str, Any] | None, artifacts: dict[str, Any] | None) -> bool:
        return bool(ray.get(self.handle.complete.remote(job_id, worker_id, result, explanation,
                                                        artifacts)))

    def complete_and_claim(self, job_id: str, worker_id: str, result: dict[str, Any],
                           explanation: dict[str, Any] | None,
                           artifacts: dict[str, Any] | None) -> tuple[bool, Row | None]:
        """Record the result and take the next queued job (None when the queue is empty)."""
        got = cast("dict[str, Any]", ray.get(self.handle.complete_and_claim.remote(
            job_id, worker_id, result, explanation, artifacts)))
        nxt = got["next"]
        return bool(got["completed"]), dict(nxt) if nxt is not None else None

    def fail(self, job_id: str, worker_id: str, error: str, retry: bool = False,
             artifacts: dict[str, Any] | None = None) -> bool:
        return bool(ray.get(self.handle.fail.remote(job_id, worker_id, error, retry, artifacts)))
