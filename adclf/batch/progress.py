"""A batch's progress: done/total, failures, ads per minute and the time left."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Progress:
    total: int = 0  # every input of the batch, including those an earlier run finished
    skipped: int = 0  # finished by an earlier run (resume)
    done: int = 0  # finished by this run, failed ones included
    failed: int = 0
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    nodes: dict[str, int] = field(default_factory=dict)  # rows classified per node

    @property
    def completed(self) -> int:
        return self.skipped + self.done

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.completed)

    def elapsed(self) -> float:
        return (self.finished_at or time.time()) - self.started_at

    def ads_per_minute(self) -> float:
        elapsed = self.elapsed()
        return 60.0 * self.done / elapsed if elapsed > 0 and self.done else 0.0

    def eta_seconds(self) -> float | None:
        rate = self.ads_per_minute()
        if not self.remaining:
            return 0.0
        return 60.0 * self.remaining / rate if rate else None

    def add(self, statuses: list[str], nodes: list[str | None]) -> None:
        self.done += len(statuses)
        self.failed += sum(1 for s in statuses if s != "completed")
        for node in nodes:
            if node:
                self.nodes[node] = self.nodes.get(node, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(completed=self.completed, remaining=self.remaining,
                   elapsed_seconds=round(self.elapsed(), 3),
                   ads_per_minute=round(self.ads_per_minute(), 2),
                   eta_seconds=None if self.eta_seconds() is None
                   else round(self.eta_seconds() or 0.0, 1),
                   percent=round(100.0 * self.completed / self.total, 1) if self.total else 100.0)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Progress:
        names = ("total", "skipped", "done", "failed", "started_at", "finished_at", "nodes")
        return cls(**{k: data[k] for k in names if k in data})
