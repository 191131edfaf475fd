"""Reads (adclf.store.queries) without Ray: from memory or from the file, long-poll, counters."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from store_parts import Parts, make_settings, must, run, spec


def test_get_answers_from_memory_then_from_the_file(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(1), spec(2)]))]
    claimed = parts.claim("w0")["job_id"]
    run(parts.jobs.complete(claimed, "w0", {"brand": "A"}, None, None))
    got = must(run(parts.reads.get(claimed)))
    assert got["brand"] == "A"
    got["brand"] = "changed by the caller"  # a copy: the cached row is untouched
    assert must(run(parts.reads.get(claimed)))["brand"] == "A"
    parts = parts.crash()
    assert parts.jobs.recent == {}
    assert must(run(parts.reads.get(claimed)))["status"] == "completed"  # from the file...
    assert claimed in parts.jobs.recent  # ...then remembered: finished rows never change
    assert must(run(parts.reads.get(ids[1])))["status"] == "queued"
    assert run(parts.reads.get("node-u-missing")) is None
    many = run(parts.reads.get_many([ids[1], "node-u-missing", claimed]))
    assert [r["job_id"] for r in many] == [ids[1], claimed]


def test_get_sees_staged_rows_not_yet_in_the_file(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]
    parts.jobs.recent.clear()

    async def written_behind() -> str:
        await parts.jobs.claim("w0")
        parts.jobs.update_stage(job_id, "w0", "ocr", "reading", 33.0)
        return must(await parts.reads.get(job_id))["stage"]

    assert run(written_behind()) == "ocr"


def test_list_events_stats_and_analytics_flush_first(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(3)]))]

    async def scenario() -> tuple[dict, list, dict, dict]:
        first = must(await parts.jobs.claim("w0"))
        parts.jobs.update_stage(first["job_id"], "w0", "ocr", "reading", 40.0)  # written behind
        await parts.jobs.complete_and_claim(first["job_id"], "w0",
                                            {"brand": "NIKE", "category_name": "Shoes"},
                                            None, None)
        page = await parts.reads.list_jobs(statuses=["processing"], limit=10)
        events = await parts.reads.events(first["job_id"])
        return page, events, await parts.reads.stats(maintenance=True), \
            await parts.reads.analytics()

    page, events, stats, analytics = run(scenario())
    assert page["total"] == 1 and page["jobs"][0]["job_id"] == ids[1]
    assert [e["stage"] for e in events] == ["queued", "claim", "ocr", "completed"]
    assert stats["node"] == "node-u" and stats["maintenance"] is True
    assert (stats["jobs_queued"], stats["jobs_processing"], stats["jobs_completed"],
            stats["jobs_failed"]) == (1, 1, 1, 0)
    assert stats["jobs_submitted_this_process"] == 3 and stats["workers_active"] == 1
    assert stats["commits"] >= 3 and stats["rows_per_commit"] > 0
    assert stats["db"] == str(parts.settings.db_path("node-u"))
    assert analytics["top_brands"] == [{"name": "NIKE", "count": 1}]


def test_wait_change_returns_on_a_change_or_at_timeout(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    row = run(parts.jobs.create([spec()]))[0]
    job_id, since = row["job_id"], row["updated_at"]

    async def scenario() -> tuple[float, dict | None, float, dict | None, dict | None]:
        t0 = time.monotonic()
        unchanged = await parts.reads.wait_change(job_id, since, 0.3)
        quiet = time.monotonic() - t0
        poll = asyncio.ensure_future(parts.reads.wait_change(job_id, since, 10.0))
        await asyncio.sleep(0.1)
        t1 = time.monotonic()
        await parts.jobs.claim("w0")
        changed = await poll
        return quiet, unchanged, time.monotonic() - t1, changed, \
            await parts.reads.wait_change("node-u-missing", None, 5.0)

    quiet, unchanged, woken, changed, missing = run(scenario())
    assert quiet >= 0.3 and must(unchanged)["status"] == "queued"
    assert woken < 2.0 and must(changed)["status"] == "processing"
    assert missing is None
