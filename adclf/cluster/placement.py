"""Choosing the owner node of new jobs: the least loaded live node that accepts work."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass
class NodeLoad:
    name: str
    pending: int  # queued + processing
    workers: int


_tiebreak = itertools.count()


def assign(count: int, loads: list[NodeLoad]) -> list[str]:
    """Owners for `count` new jobs, spread by free capacity (pending jobs per worker).

    Greedy: each job goes to the node whose load per worker would be lowest; ties rotate so that
    equal nodes receive equal shares."""
    if not loads:
        return []
    pending = {n.name: n.pending for n in loads}
    workers = {n.name: max(1, n.workers) for n in loads}
    names = [n.name for n in loads]
    owners: list[str] = []
    for _ in range(count):
        start = next(_tiebreak) % len(names)
        rotated = names[start:] + names[:start]
        best = min(rotated, key=lambda name: (pending[name] + 1) / workers[name])
        pending[best] += 1
        owners.append(best)
    return owners
