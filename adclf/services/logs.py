"""The ingress's recent log lines, for the original's live log console (/admin/logs/*).

A bounded ring of formatted lines from the `adclf` and `ray.serve` loggers of this replica's
process, and a fan-out to followers (each with a bounded queue: a slow reader loses lines, it
never blocks logging)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator
from typing import Literal

MAX_LINES = 1000
QUEUE_SIZE = 1000
LOGGERS = ("adclf", "ray.serve")

LogItem = tuple[Literal["bootstrap", "log", "ping"], list[str]]


class LogBuffer(logging.Handler):
    def __init__(self, max_lines: int = MAX_LINES) -> None:
        super().__init__(level=logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: deque[str] = deque(maxlen=max_lines)
        self._lock = threading.Lock()
        self._followers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str]]] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - a bad record must not break logging
            return
        with self._lock:
            self.lines.append(line)
            followers = list(self._followers)
        for loop, queue in followers:
            loop.call_soon_threadsafe(_offer, queue, line)

    def recent(self, limit: int) -> list[str]:
        with self._lock:
            return list(self.lines)[-max(1, min(limit, MAX_LINES)):]

    def clear(self) -> None:
        with self._lock:
            self.lines.clear()

    async def follow(self, ping_seconds: float = 15.0) -> AsyncIterator[LogItem]:
        """The recent lines once (`bootstrap`), then each new line (`log`), a `ping` when
        quiet."""
        queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_SIZE)
        key = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._followers.add(key)
        try:
            yield "bootstrap", self.recent(200)
            while True:
                try:
                    line = await asyncio.wait_for(queue.get(), ping_seconds)
                except TimeoutError:
                    yield "ping", []
                    continue
                yield "log", [line]
        finally:
            with self._lock:
                self._followers.discard(key)


def _offer(queue: asyncio.Queue[str], line: str) -> None:
    if not queue.full():
        queue.put_nowait(line)


_buffer: LogBuffer | None = None


def log_buffer() -> LogBuffer:
    """The process's one buffer, attached to the adclf and Serve loggers on first use."""
    global _buffer
    if _buffer is None:
        _buffer = LogBuffer()
        # Levels are left as configured: the console shows what the process already logs.
        for name in LOGGERS:
            logging.getLogger(name).addHandler(_buffer)
    return _buffer


class LogService:
    def __init__(self) -> None:
        self.buffer = log_buffer()

    async def recent(self, limit: int) -> dict[str, list[str]]:
        return {"lines": self.buffer.recent(limit)}

    async def clear(self) -> dict[str, str]:
        self.buffer.clear()
        return {"status": "cleared"}

    def follow(self) -> AsyncIterator[LogItem]:
        return self.buffer.follow()
