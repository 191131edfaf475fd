"""Signed webhooks in the service: the real store actor and the node's real deliverer actor on the
session's Ray, a real receiver on 127.0.0.1 (allowed through URL_ALLOW_PRIVATE and the allow
list, as an on-prem deployment would). No workers: the test plays the worker, as the other
service tests do, through the store's worker calls."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import ray
from webhook_receiver import Receiver

from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.errors import BadInput
from adclf.services.bundle import Services, build_services
from adclf.store.client import NAMESPACE, WorkerStoreClient, store_actor_name
from adclf.webhooks.delivery import deliverer_actor_name, ensure_deliverer
from adclf.webhooks.verify import verify_signature

NODE = "hook-a"
SECRET = "whsec-test-secret"


@dataclass
class Hooked:
    settings: Settings
    services: Services
    store: Any  # the store actor's handle
    deliverer: Any
    video: Path

    def submit(self, callback_url: str | None) -> str:
        from adclf.domain import JobSettings

        got = asyncio.run(self.services.submissions.submit_filepath(
            "pipeline", str(self.video), JobSettings(), callback_url))
        return str(got["job_id"])

    def worker(self) -> WorkerStoreClient:
        return WorkerStoreClient(self.store)

    def finish(self, job_id: str, ok: bool = True) -> None:
        claimed = self.worker().claim("test-worker", 5.0)
        assert claimed is not None and claimed["job_id"] == job_id
        if ok:
            assert self.worker().complete(job_id, "test-worker",
                                          {"brand": "ACME", "category_name": "Retail"}, None, None)
        else:
            assert self.worker().fail(job_id, "test-worker", "not a video")

    def job_json(self, job_id: str) -> dict[str, Any]:
        """GET /jobs/{id}'s JSON, through the service the route calls."""
        return asyncio.run(self.services.jobs.job(job_id))

    def outbox_entry(self, job_id: str) -> Any:
        return ray.get(self.store.outbox_entry.remote(job_id), timeout=30)

    def webhook_events(self, job_id: str) -> list[str]:
        events = ray.get(self.store.events.remote(job_id), timeout=30)
        return [e["message"] for e in events if e["stage"] == "webhook"]

    def wait_events(self, job_id: str, count: int, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                got = self.webhook_events(job_id)
            except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
                got = []
            if len(got) >= count:
                return got
            assert time.monotonic() < deadline, got
            time.sleep(0.1)


@pytest.fixture(scope="module")
def hooked(ray_session: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hooked]:
    base = tmp_path_factory.mktemp("webhooks")
    roots = base / "roots"
    roots.mkdir()
    video = roots / "ad.mp4"
    video.write_bytes(b"\x00" * 64)  # never read: the test plays the worker
    settings = Settings(NODE_NAME=NODE, DATA_DIR=base / "data", ALLOWED_FOLDER_ROOTS=[roots],
                        WORKERS_PER_NODE=0, CLEANUP_ENABLED=False, WEBHOOK_SECRET=SECRET,
                        URL_ALLOW_PRIVATE=True, URL_HOST_ALLOWLIST=["127.0.0.1"],
                        WEBHOOK_TIMEOUT_SECONDS=3, WEBHOOK_RETRY_BASE_SECONDS=0.3,
                        WEBHOOK_RETRY_MAX_SECONDS=1.0)
    settings.ensure_dirs()
    registry = NodeRegistry(settings, node_hooks=[ensure_deliverer])
    assert registry.reconcile() == [NODE]
    store = ray.get_actor(store_actor_name(NODE), namespace=NAMESPACE)
    deliverer = ray.get_actor(deliverer_actor_name(NODE), namespace=NAMESPACE)
    yield Hooked(settings, build_services(settings, registry, NODE), store, deliverer, video)
    ray.kill(deliverer)
    ray.kill(store)


def test_a_finished_job_is_posted_signed_as_get_jobs_id_shows_it(hooked: Hooked) -> None:
    receiver = Receiver().start()
    try:
        job_id = hooked.submit(receiver.url)
        hooked.finish(job_id)
        got = receiver.wait_for(1)[0]
    finally:
        receiver.stop()
    assert verify_signature(SECRET, got.headers["X-Adclf-Signature"], got.body)
    assert not verify_signature("another-secret", got.headers["X-Adclf-Signature"], got.body)
    assert got.headers["X-Adclf-Event"] == "job.completed"
    assert got.headers["X-Adclf-Job-Id"] == job_id and got.headers["X-Adclf-Attempt"] == "1"
    body = json.loads(got.body)
    assert body == hooked.job_json(job_id)
    assert (body["status"], body["brand"], body["category_name"]) == ("completed", "ACME",
                                                                      "Retail")
    assert hooked.wait_events(job_id, 1) == [
        f"webhook delivered to {receiver.url} on attempt 1 (HTTP 200)"]
    assert hooked.outbox_entry(job_id)["state"] == "delivered"


def test_a_receiver_that_is_down_then_comes_back_gets_the_callback(hooked: Hooked) -> None:
    receiver = Receiver()  # its port is chosen, nothing listens there yet
    job_id = hooked.submit(receiver.url)
    hooked.finish(job_id, ok=False)
    failed = hooked.wait_events(job_id, 3)
    assert all(f"to {receiver.url} failed (could not connect" in m for m in failed[:3]), failed
    assert [m.split()[2] for m in failed[:3]] == ["1", "2", "3"]
    assert "next attempt in" in failed[0]
    receiver.start()
    try:
        got = receiver.wait_for(1, timeout=30)[0]
        events = hooked.wait_events(job_id, len(failed) + 1)
    finally:
        receiver.stop()
    assert got.headers["X-Adclf-Event"] == "job.failed"
    assert json.loads(got.body)["error"] == "not a video"
    assert verify_signature(SECRET, got.headers["X-Adclf-Signature"], got.body)
    attempt = int(got.headers["X-Adclf-Attempt"])
    assert attempt >= 4
    assert events[-1] == f"webhook delivered to {receiver.url} on attempt {attempt} (HTTP 200)"
    assert len(events) == attempt
    assert len(receiver.requests) == 1


def test_a_pending_delivery_survives_a_restart_of_the_store(hooked: Hooked) -> None:
    receiver = Receiver()
    job_id = hooked.submit(receiver.url)
    hooked.finish(job_id)
    before = hooked.wait_events(job_id, 1)
    pid = ray.get(hooked.store.ping.remote(), timeout=30)["pid"]
    ray.kill(hooked.store, no_restart=False)
    deadline = time.monotonic() + 60
    while True:
        try:
            if ray.get(hooked.store.ping.remote(), timeout=5)["pid"] != pid:
                break
        except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
            pass
        assert time.monotonic() < deadline, "the store did not come back"
        time.sleep(0.2)
    receiver.start()
    try:
        got = receiver.wait_for(1, timeout=45)[0]
        events = hooked.wait_events(job_id, len(before) + 1)
    finally:
        receiver.stop()
    assert json.loads(got.body) == hooked.job_json(job_id)
    assert verify_signature(SECRET, got.headers["X-Adclf-Signature"], got.body)
    assert events[0].startswith("webhook attempt 1 to ")
    assert events[-1].startswith(f"webhook delivered to {receiver.url} on attempt ")
    assert hooked.outbox_entry(job_id)["state"] == "delivered"


def test_a_callback_to_a_private_address_is_refused_at_submit(hooked: Hooked) -> None:
    count = len(ray.get(hooked.store.list_jobs.remote(None, None, 1000, 0))["jobs"])
    for url in ("http://10.1.2.3/hook", "http://192.168.0.9:8080/hook", "http://localhost/h"):
        with pytest.raises(BadInput) as err:
            hooked.submit(url)
        assert err.value.http_status == 400 and "callback_url refused" in str(err.value)
    assert len(ray.get(hooked.store.list_jobs.remote(None, None, 1000, 0))["jobs"]) == count


def test_a_job_without_a_callback_sends_nothing(hooked: Hooked) -> None:
    job_id = hooked.submit(None)
    hooked.finish(job_id)
    time.sleep(1.5)
    assert hooked.webhook_events(job_id) == []
    assert hooked.outbox_entry(job_id) is None
    status = ray.get(hooked.deliverer.status.remote(), timeout=30)
    assert status["running"] and status["in_flight"] == 0
