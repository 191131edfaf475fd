"""Small helpers shared by the benchmark scripts: figures printed next to their goals."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(name: str, value: float, unit: str, goal: str, ok: bool) -> None:
    print(f"{name:<48} {value:>10.3f} {unit:<8} goal {goal:<14} {'OK' if ok else 'MISSED'}")


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def timed_gets(client: Any, path: str, n: int) -> list[float]:
    """`n` GETs of `path` with an httpx client, each one's time in ms; every answer must be 200."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
    return out
