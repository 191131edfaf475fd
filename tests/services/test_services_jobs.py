"""JobService against a real store actor: views, listings, follow, delete, export."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from services_support import NODE, Fleet

from adclf.domain import JobSettings
from adclf.errors import NotFound
from adclf.services.jobs import Change, owner_of, statuses

UNKNOWN = f"{NODE}-00000000-0000-4000-8000-000000000000"


async def _submit(fleet: Fleet, count: int = 1) -> list[str]:
    subs = fleet.services.submissions
    return [(await subs.submit_filepath("pipeline", str(fleet.video), JobSettings()))["job_id"]
            for _ in range(count)]


def test_owner_and_status_filters() -> None:
    assert owner_of(UNKNOWN) == NODE
    with pytest.raises(NotFound, match="not an adclf job id"):
        owner_of("not-a-job")
    assert statuses(None) is None and statuses("running") == ["processing"]
    assert statuses("queued") == ["queued", "re-queued"] and statuses("failed") == ["failed"]


def test_views_and_listings_of_a_job(clean_node: Fleet) -> None:
    jobs = clean_node.services.jobs

    async def run() -> None:
        (job_id,) = await _submit(clean_node)
        job = await jobs.job(job_id)
        assert job["job_id"] == job_id and job["node"] == NODE and job["status"] == "queued"
        assert job["original_name"] == clean_node.video.name
        result = await jobs.result(job_id)
        assert result["status"] == "queued" and result["result"] is None  # as the original
        art = await jobs.artifacts(job_id, "http://host:1")
        assert art["video_url"] == f"http://host:1/jobs/{job_id}/video" and art["frames"] == []
        assert art["artifacts"]["latest_frames"] == [] and \
            art["artifacts"]["ocr_text"] == {"text": "", "lines": [], "url": None}
        expl = await jobs.explanation(job_id, "http://host:1")
        assert expl["attempts"] == [] and expl["explanation"]["status"] == "queued"
        assert expl["explanation"]["evidence"]["event_count"] == 1
        events = await jobs.events(job_id)
        assert [e["stage"] for e in events["entries"]] == ["queued"]
        assert events["events"][0].endswith("Z queued: " + events["entries"][0]["message"])
        assert [j["job_id"] for j in await jobs.list_local("queued", None, 10, 0)] == [job_id]
        assert await jobs.list_local("running", None, 10, 0) == []
        page = await jobs.list_node(None, None, job_id, 10, 0)
        assert page["total"] == 1 and page["limit"] == 10 and page["unavailable_nodes"] == []
        cluster = await jobs.list_cluster("queued", None, 10, 0)
        assert [j["job_id"] for j in cluster["jobs"]] == [job_id] and cluster["total"] == 1
        assert job_id in (await jobs.export("csv")).decode()
        for read in (jobs.job, jobs.result, jobs.events):
            with pytest.raises(NotFound):
                await read(UNKNOWN)
        with pytest.raises(NotFound):
            await jobs.explanation(UNKNOWN, "http://host:1")
        with pytest.raises(NotFound, match="no adclf node"):
            await jobs.list_node("nope", None, None, 10, 0)

    asyncio.run(run())


def test_delete_one_and_many(clean_node: Fleet) -> None:
    jobs = clean_node.services.jobs

    async def run() -> None:
        first, second, third = await _submit(clean_node, 3)
        await jobs.delete_one(first)
        with pytest.raises(NotFound):
            await jobs.job(first)
        with pytest.raises(NotFound, match="not found"):
            await jobs.delete_one(first)
        with pytest.raises(NotFound):
            await jobs.delete_one("not-a-job")
        other_node = "elsewhere-00000000-0000-4000-8000-000000000000"
        got = await jobs.delete([second, third, second, UNKNOWN, "x", other_node])
        assert sorted(got["deleted"]) == sorted([second, third])
        assert sorted(got["not_found"]) == sorted([UNKNOWN, "x", other_node])
        assert got["unavailable"] == []
        assert (await jobs.list_node(None, None, None, 10, 0))["total"] == 0

    asyncio.run(run())


def _play_worker(fleet: Fleet, job_id: str, after: float) -> None:
    """What a worker does with a job, through the worker's own store client; slowly enough for
    the follower to see each step."""
    time.sleep(after)
    claimed = fleet.worker.claim("test-worker", 5.0)
    assert claimed is not None and claimed["job_id"] == job_id
    time.sleep(0.3)
    assert fleet.worker.update_stage(job_id, "test-worker", "ocr", "reading", 40.0)
    time.sleep(0.3)
    assert fleet.worker.update_stage(job_id, "test-worker", "classify", "asking", 80.0)
    time.sleep(0.3)
    assert fleet.worker.complete(job_id, "test-worker", {"brand": "NIKE", "confidence": 0.9},
                                 {"attempts": []}, {"frames": []})


def test_follow_yields_changes_until_the_job_is_final(clean_node: Fleet) -> None:
    jobs = clean_node.services.jobs

    async def run() -> list[Change]:
        (job_id,) = await _submit(clean_node)
        changes = await jobs.follow(job_id, poll=0.5)
        seen: list[Change] = []
        worker: asyncio.Future[Any] | None = None
        async for change in changes:
            seen.append(change)
            if worker is None:
                # The worker starts after a few polls found nothing new.
                worker = asyncio.ensure_future(asyncio.to_thread(_play_worker, clean_node,
                                                                 job_id, 1.2))
        assert worker is not None
        await worker
        return seen

    seen = asyncio.run(run())
    kinds = [c.kind for c in seen]
    assert kinds[0] == "update" and kinds[-1] == "final" and "quiet" in kinds
    assert kinds.count("final") == 1 and "deleted" not in kinds
    updates = [c.job for c in seen if c.kind == "update" and c.job]
    assert updates[0]["status"] == "queued"
    # The final state is an update too, then `final` again (the SSE route's `complete`).
    assert [u["status"] for u in updates[1:]] == ["processing"] * (len(updates) - 2) + \
        ["completed"]
    progress = [u["progress"] for u in updates]
    assert progress == sorted(progress) and {40, 80} <= set(progress)
    final = seen[-1].job
    assert final is not None and final["status"] == "completed" and final["brand"] == "NIKE"


def test_follow_ends_when_the_job_is_deleted(clean_node: Fleet) -> None:
    jobs = clean_node.services.jobs

    async def run() -> list[str]:
        (job_id,) = await _submit(clean_node)
        changes = await jobs.follow(job_id, poll=5.0)
        kinds: list[str] = []
        async for change in changes:
            kinds.append(change.kind)
            if len(kinds) == 1:
                await jobs.delete_one(job_id)
        return kinds

    assert asyncio.run(run()) == ["update", "deleted"]


def test_following_an_unknown_job_fails_before_iterating(fleet: Fleet) -> None:
    with pytest.raises(NotFound):
        asyncio.run(fleet.services.jobs.follow(UNKNOWN))
