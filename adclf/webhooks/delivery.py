"""The per-node deliverer: takes due callbacks from the node's store outbox, POSTs each finished
job (the JSON of GET /jobs/{id}, signed) and reports every attempt back to the store.

Why an actor of its own rather than a task inside the store: the store is the node's one DuckDB
writer, on one event loop that every claim and report waits for; a receiver that answers slowly
(up to WEBHOOK_TIMEOUT_SECONDS) must never sit on that path, and the store must not import the
API's views or the network code. The deliverer only talks to the store through StoreClient
(small calls), and runs each POST in a thread. Everything it knows is in the outbox: killed, it
is restarted by Ray and carries on; a POST cut off in flight is leased, not marked, so it is
sent again (at least once). Started by cluster.nodes.NodeRegistry through its node hooks
(`ensure_deliverer`) when WEBHOOK_SECRET is set."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import ray

from adclf.cluster.nodes import AdclfNode, node_actor_options
from adclf.config import Settings
from adclf.security.redact import redact_url
from adclf.services import views
from adclf.services.node_loop import NodeLoop
from adclf.store.client import StoreClient
from adclf.webhooks.backoff import next_attempt
from adclf.webhooks.send import Outcome, post

log = logging.getLogger("adclf.webhooks")

CONCURRENCY = 8
POLL_SECONDS = 1.0
# A taken row comes back due after this long if its attempt never reports (deliverer died).
LEASE_MARGIN = 60.0

Poster = Callable[[str, bytes, str, Settings, dict[str, str]], Outcome]


def deliverer_actor_name(node: str) -> str:
    return f"adclf-webhooks-{node}"


class OutboxStore(Protocol):
    async def outbox_due(self, limit: int, lease: float, wait: float = 0.0
                         ) -> list[dict[str, Any]]: ...

    async def outbox_report(self, job_id: str, state: str, message: str,
                            retry_at: float | None = None) -> bool: ...

    async def get_many(self, job_ids: list[str]) -> list[dict[str, Any]]: ...


def body_of(job: dict[str, Any]) -> bytes:
    """The callback's body: the job as GET /jobs/{id} returns it."""
    return json.dumps(views.job_view(job), separators=(",", ":")).encode("utf-8")


class Delivery:
    """The deliverer's loop, plain asyncio over an OutboxStore (tests run it without Ray)."""

    def __init__(self, store: OutboxStore, settings: Settings, poster: Poster = post,
                 concurrency: int = CONCURRENCY) -> None:
        assert settings.WEBHOOK_SECRET, "the deliverer runs only with WEBHOOK_SECRET set"
        self.store = store
        self.settings = settings
        self.secret = settings.WEBHOOK_SECRET
        self.poster = poster
        self.concurrency = concurrency
        self.lease = settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN
        self.inflight: dict[str, asyncio.Task[None]] = {}
        self.counts = {"attempts": 0, "delivered": 0, "retrying": 0, "given_up": 0}

    async def round(self, wait: float = POLL_SECONDS) -> int:
        """Start the attempts that are due (waiting up to `wait` s for one); how many started."""
        free = self.concurrency - len(self.inflight)
        if free <= 0:
            await asyncio.wait(list(self.inflight.values()), return_when=asyncio.FIRST_COMPLETED)
            return 0
        started = 0
        for row in await self.store.outbox_due(free, self.lease, wait):
            job_id = row["job_id"]
            if job_id in self.inflight:
                continue
            task = asyncio.get_running_loop().create_task(self.attempt(row))
            self.inflight[job_id] = task
            task.add_done_callback(self._done)
            started += 1
        return started

    def _done(self, task: asyncio.Task[None]) -> None:
        for job_id, known in list(self.inflight.items()):
            if known is task:
                del self.inflight[job_id]
        if not task.cancelled() and task.exception() is not None:
            # Not reported: the lease runs out and the row is due again (at least once).
            log.warning("webhook attempt failed before its report: %r", task.exception())

    async def drain(self) -> None:
        """Wait for the attempts in flight."""
        if self.inflight:
            await asyncio.gather(*self.inflight.values(), return_exceptions=True)

    async def attempt(self, row: dict[str, Any]) -> None:
        job_id, url = row["job_id"], row["url"]
        jobs = await self.store.get_many([job_id])
        if not jobs:
            return  # deleted meanwhile: its outbox row went with it
        job = jobs[0]
        number = int(row["attempts"] or 0) + 1
        headers = {"X-Adclf-Event": f"job.{job['status']}", "X-Adclf-Job-Id": job_id,
                   "X-Adclf-Attempt": str(number)}
        self.counts["attempts"] += 1
        outcome = await asyncio.to_thread(self.poster, url, body_of(job), self.secret,
                                          self.settings, headers)
        shown = redact_url(url)
        retry_at: float | None = None
        if outcome.ok:
            state = "delivered"
            message = f"webhook delivered to {shown} on attempt {number} ({outcome.detail})"
            self.counts["delivered"] += 1
        else:
            now = time.time()
            retry_at = next_attempt(number, float(row["first_due_at"] or now), now,
                                    self.settings)
            if retry_at is None:
                state = "failed"
                message = (f"webhook attempt {number} to {shown} failed ({outcome.detail}); "
                           f"given up {self.settings.WEBHOOK_RETRY_HOURS:g} h after the job "
                           "finished")
                self.counts["given_up"] += 1
            else:
                state = "pending"
                message = (f"webhook attempt {number} to {shown} failed ({outcome.detail}); "
                           f"next attempt in {max(0.0, retry_at - now):.1f} s")
                self.counts["retrying"] += 1
        log.info("job %s: %s", job_id, message)
        await self.store.outbox_report(job_id, state, message, retry_at)

    async def run(self, poll: float = POLL_SECONDS) -> None:
        while True:
            try:
                await self.round(poll)
            except Exception:  # noqa: BLE001 - the store restarting: ask again shortly
                log.warning("webhook round failed; retrying", exc_info=True)
                await asyncio.sleep(poll)


class Deliverer(NodeLoop):
    """The Ray actor (DelivererActor) of one node. Its loop runs on its own thread and event
    loop, started in __init__: a deliverer that Ray restarts delivers again without a call."""

    thread_name = "adclf-webhooks"
    delivery: Delivery | None = None

    async def run_with(self, store: StoreClient) -> None:
        self.delivery = Delivery(store, self.settings)
        await self.delivery.run()

    def status(self) -> dict[str, Any]:
        if self.delivery is None:
            return {"node": self.node, "running": False}
        return {"node": self.node, "running": True, "in_flight": len(self.delivery.inflight),
                **self.delivery.counts}


DelivererActor = ray.remote(Deliverer)


def ensure_deliverer(node: AdclfNode, settings: Settings) -> None:
    """A NodeHook: the node's deliverer, when callbacks can be signed (WEBHOOK_SECRET)."""
    if not settings.WEBHOOK_SECRET:
        return
    DelivererActor.options(name=deliverer_actor_name(node.name), num_cpus=0,
                           **node_actor_options(node)).remote(node.name, settings)
