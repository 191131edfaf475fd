"""A small asyncio batcher: requests from many callers run together in one call of a batch
function on a thread, so a model sees batches instead of single items.

A batch starts when `max_batch` requests wait or `wait` seconds after the first of them arrived;
while one batch runs the next one gathers (one batch at a time per batcher), so under load batches
grow by themselves even with a zero window. A request carries a deadline: one still waiting when
its deadline passes fails with DeadlineExceeded instead of running for a caller that gave up."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class DeadlineExceeded(TimeoutError):
    """A request waited past its deadline before its batch started."""


@dataclass
class BatchStats:
    batches: int = 0
    items: int = 0
    largest: int = 0
    expired: int = 0
    busy_seconds: float = 0.0
    sizes: dict[int, int] = field(default_factory=dict)  # batch size -> how many batches

    def public(self) -> dict[str, Any]:
        return {"batches": self.batches, "items": self.items, "largest": self.largest,
                "mean_size": round(self.items / self.batches, 3) if self.batches else 0.0,
                "expired": self.expired, "busy_seconds": round(self.busy_seconds, 3),
                "sizes": dict(sorted(self.sizes.items()))}


@dataclass
class _Pending(Generic[T, R]):
    item: T
    deadline: float
    future: asyncio.Future[R]


class Batcher(Generic[T, R]):
    """`fn(items) -> results` (same length, same order) runs on `executor`; call `submit` from
    the event loop that owns the batcher."""

    def __init__(self, fn: Callable[[list[T]], Sequence[R]], max_batch: int, wait: float,
                 executor: Executor | None = None) -> None:
        self.fn = fn
        self.max_batch = max(1, max_batch)
        self.wait = max(0.0, wait)
        self.executor = executor
        self.stats = BatchStats()
        self._queue: list[_Pending[T, R]] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def queued(self) -> int:
        """Requests waiting for a batch (not those running)."""
        return len(self._queue)

    async def submit(self, item: T, timeout: float) -> R:
        loop = asyncio.get_running_loop()
        pending = _Pending(item, time.monotonic() + timeout, loop.create_future())
        self._queue.append(pending)
        self._arrived.set()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return await pending.future

    async def _run(self) -> None:
        while self._queue:
            window_end = time.monotonic() + self.wait
            while len(self._queue) < self.max_batch:
                left = window_end - time.monotonic()
                if left <= 0:
                    break
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), left)
                except TimeoutError:
                    break
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch:]
            await self._run_batch(batch)

    async def _run_batch(self, batch: list[_Pending[T, R]]) -> None:
        now = time.monotonic()
        live: list[_Pending[T, R]] = []
        for p in batch:
            if p.future.done():  # the caller was cancelled
                continue
            if now > p.deadline:
                self.stats.expired += 1
                p.future.set_exception(DeadlineExceeded(
                    f"model request waited {now - p.deadline:.1f} s past its deadline"))
                continue
            live.append(p)
        if not live:
            return
        t0 = time.perf_counter()
        try:
            results = await asyncio.get_running_loop().run_in_executor(
                self.executor, self.fn, [p.item for p in live])
            if len(results) != len(live):
                raise RuntimeError(f"batch function returned {len(results)} results for "
                                   f"{len(live)} items")
        except Exception as exc:  # every caller of the batch gets the model's error
            for p in live:
                if not p.future.done():
                    p.future.set_exception(exc)
            return
        finally:
            self._count(len(live), time.perf_counter() - t0)
        for p, result in zip(live, results, strict=True):
            if not p.future.done():
                p.future.set_result(result)

    def _count(self, size: int, seconds: float) -> None:
        s = self.stats
        s.batches += 1
        s.items += size
        s.largest = max(s.largest, size)
        s.busy_seconds += seconds
        s.sizes[size] = s.sizes.get(size, 0) + 1
