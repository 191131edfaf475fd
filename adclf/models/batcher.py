"""A small asyncio batcher: requests from many callers run together in one call of a batch
function on a thread, so a model sees batches instead of single items.

A batch starts when `max_batch` requests wait or `wait` seconds after the first of them arrived,
and only when one of its `parallel` slots is free: while every slot runs a batch the next one
gathers, so under load batches grow by themselves even with a zero window; what waits when
several slots are idle is shared among them. `parallel` lets a
model whose calls each use one core keep every core busy (a job's frames read side by side when
it is alone; several jobs' frames when the node is loaded). A request carries a deadline: one
still waiting when its deadline passes fails with DeadlineExceeded instead of running for a
caller that gave up."""

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
    arrived: float = field(default_factory=time.monotonic)


class Batcher(Generic[T, R]):
    """`fn(items) -> results` (same length, same order) runs on `executor`; call `submit` from
    the event loop that owns the batcher."""

    def __init__(self, fn: Callable[[list[T]], Sequence[R]], max_batch: int, wait: float,
                 executor: Executor | None = None, parallel: int = 1) -> None:
        self.fn = fn
        self.max_batch = max(1, max_batch)
        self.wait = max(0.0, wait)
        self.executor = executor
        self.parallel = max(1, parallel)
        self.stats = BatchStats()
        self._queue: list[_Pending[T, R]] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(self.parallel)
        self._busy = 0  # slots running a batch
        self._running: set[asyncio.Task[None]] = set()

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
            # a slot first, then the window: while every slot is busy, requests pile up into
            # the next batch instead of each taking the first slot that frees
            await self._slots.acquire()
            if not self._queue:
                self._slots.release()
                break
            window_end = self._queue[0].arrived + self.wait
            while len(self._queue) < self.max_batch:
                left = window_end - time.monotonic()
                if left <= 0:
                    break
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), left)
                except TimeoutError:
                    break
            # what waits is shared among the idle slots (this one included), all started now:
            # one job's two frames on an idle node run side by side, not as one batch on one
            # core; under load only one slot is idle at a time and it takes what waits
            idle = max(1, self.parallel - self._busy)
            take = min(len(self._queue), self.max_batch * idle)
            parts = min(idle, take)
            sizes = [take // parts + (k < take % parts) for k in range(parts)]
            for k, size in enumerate(sizes):
                if k:
                    await self._slots.acquire()  # idle: free at once (only this task acquires)
                batch, self._queue = self._queue[:size], self._queue[size:]
                self._busy += 1
                task = asyncio.get_running_loop().create_task(self._run_in_slot(batch))
                self._running.add(task)  # held until done: the loop keeps weak references only
                task.add_done_callback(self._running.discard)

    async def _run_in_slot(self, batch: list[_Pending[T, R]]) -> None:
        try:
            await self._run_batch(batch)
        finally:
            self._busy -= 1
            self._slots.release()

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
