"""Priorities and fair turns through the submission and upload services, on the real store actor
(the test plays the worker): what the next free worker slot gets, batches taking turns, what the
job view shows, and a refused priority."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from services_support import BytesForm, Fleet

from adclf.domain import JobSettings
from adclf.services.submissions import BadPriority


def _folder(fleet: Fleet, name: str, count: int) -> Path:
    """`count` files with a video name: submitting only looks at names; no worker opens them."""
    folder = fleet.settings.ALLOWED_FOLDER_ROOTS[0] / name
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"ad-{i:04d}.mp4").touch()
    return folder


def _claim_all(fleet: Fleet, worker: str) -> list[str]:
    claimed = []
    while (row := fleet.worker.claim(worker, 0.0)) is not None:
        claimed.append(row["job_id"])
    return claimed


def test_an_upload_behind_500_low_jobs_gets_the_next_free_slot(clean_node: Fleet) -> None:
    fleet = clean_node
    services = fleet.services
    low = asyncio.run(services.submissions.submit_folder(
        "pipeline", str(_folder(fleet, "low-500", 500)), JobSettings(), priority="low"))
    assert len(low) == 500
    busy = fleet.worker.claim("w-busy", 0.0)  # a worker already on a low job
    assert busy is not None and busy["job_id"] == low[0]["job_id"]
    data = fleet.video.read_bytes()
    # No priority field: normal, still ahead of every low job.
    normal = asyncio.run(services.uploads.receive(BytesForm(data, {}), len(data), "ad.mp4"))
    high = asyncio.run(services.uploads.receive(BytesForm(data, {"priority": "high"}),
                                                len(data), "ad.mp4"))
    # The busy worker finishes and its next claim is the high upload, then the normal one.
    done, nxt = fleet.worker.complete_and_claim(busy["job_id"], "w-busy", {"brand": "X"}, None,
                                                None)
    assert done and nxt is not None and nxt["job_id"] == high["job_id"]
    free = fleet.worker.claim("w-free", 0.0)
    assert free is not None and free["job_id"] == normal["job_id"]
    after = fleet.worker.claim("w-free2", 0.0)
    assert after is not None and after["job_id"] == low[1]["job_id"]
    view = asyncio.run(services.jobs.job(high["job_id"]))
    assert view["priority"] == "high" and view["batch_id"]
    assert asyncio.run(services.jobs.job(normal["job_id"]))["priority"] == "normal"
    assert asyncio.run(services.jobs.job(low[7]["job_id"]))["priority"] == "low"


def test_two_batches_submitted_one_after_the_other_alternate(clean_node: Fleet) -> None:
    fleet = clean_node
    submissions = fleet.services.submissions
    a = asyncio.run(submissions.submit_folder("pipeline", str(_folder(fleet, "batch-a", 6)),
                                              JobSettings()))
    b = asyncio.run(submissions.submit_folder("pipeline", str(_folder(fleet, "batch-b", 4)),
                                              JobSettings()))
    ids_a, ids_b = [j["job_id"] for j in a], [j["job_id"] for j in b]
    claims = _claim_all(fleet, "w0")
    assert "".join("A" if j in ids_a else "B" for j in claims) == "ABABABABAA"
    views = [asyncio.run(fleet.services.jobs.job(j)) for j in (ids_a[0], ids_a[5], ids_b[0])]
    assert views[0]["batch_id"] == views[1]["batch_id"] != views[2]["batch_id"]
    assert {v["priority"] for v in views} == {"normal"}


def test_an_invalid_upload_priority_is_refused_and_leaves_nothing(clean_node: Fleet) -> None:
    fleet = clean_node
    before = fleet.stored_uploads()
    data = fleet.video.read_bytes()
    with pytest.raises(BadPriority, match="priority must be one of high, normal, low") as err:
        asyncio.run(fleet.services.uploads.receive(BytesForm(data, {"priority": "urgent"}),
                                                   len(data), "ad.mp4"))
    assert err.value.http_status == 422
    assert fleet.stored_uploads() == before
    assert fleet.worker.claim("w0", 0.0) is None
