"""The claim order of one node's queued jobs: by priority, and within a priority, in turn
between submission batches.

A batch is every job one submit call created (`batch_id`, made by the service per call; a store
caller that gives none gets one per `create`). Turns go by batch rather than by API token: a
deployment may have one token (or none) for everyone, while each submission is a batch whatever
the authentication, and a single upload is a batch of one that waits for at most one job of each
other batch of its priority. Jobs queued before batches existed (batch_id NULL) share one batch.

Per priority, an OrderedDict batch → deque of job ids; its first entry is the batch whose turn it
is (the rotating cursor). Taking a job moves that batch to the end, so every claim is O(1) and a
batch of 10,000 jobs gets one claim in each round like a batch of one. Ids of jobs deleted while
queued stay until their turn; the caller skips them (JobQueue checks each id it is given)."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterator

from adclf.domain import DEFAULT_PRIORITY, PRIORITIES

LEGACY_BATCH = ""  # jobs from a file written before version 2 of the schema


class FairQueue:
    def __init__(self) -> None:
        self._lanes: dict[str, OrderedDict[str, deque[str]]] = {
            p: OrderedDict() for p in PRIORITIES}
        self._in_order = tuple(self._lanes[p] for p in PRIORITIES)

    def _lane(self, priority: str | None) -> OrderedDict[str, deque[str]]:
        lane = self._lanes.get(priority or DEFAULT_PRIORITY)
        return self._lanes[DEFAULT_PRIORITY] if lane is None else lane

    def push(self, job_id: str, priority: str | None, batch: str | None) -> None:
        """Queue `job_id` last in its batch; a batch new to the lane takes its turn after the
        batches already waiting."""
        lane = self._lane(priority)
        key = batch or LEGACY_BATCH
        ids = lane.get(key)
        if ids is None:
            lane[key] = ids = deque()
        ids.append(job_id)

    def push_front(self, job_id: str, priority: str | None, batch: str | None) -> None:
        """Queue `job_id` first in its priority: a job re-queued after a failed attempt goes
        first in line, as it did when the queue was first-in first-out."""
        lane = self._lane(priority)
        key = batch or LEGACY_BATCH
        ids = lane.get(key)
        if ids is None:
            lane[key] = ids = deque()
        ids.appendleft(job_id)
        lane.move_to_end(key, last=False)

    def pop(self) -> str | None:
        """The next job id: the first batch in rotation of the highest non-empty priority."""
        for lane in self._in_order:
            if lane:
                key, ids = next(iter(lane.items()))
                job_id = ids.popleft()
                if ids:
                    lane.move_to_end(key)
                else:
                    del lane[key]
                return job_id
        return None

    def __bool__(self) -> bool:
        return any(self._in_order)

    def __len__(self) -> int:
        return sum(len(ids) for lane in self._in_order for ids in lane.values())

    def __iter__(self) -> Iterator[str]:
        """The ids in the order `pop` would give them (a copy: the queue is not changed)."""
        for lane in self._in_order:
            rotation = deque((key, deque(ids)) for key, ids in lane.items())
            while rotation:
                key, ids = rotation.popleft()
                yield ids.popleft()
                if ids:
                    rotation.append((key, ids))
