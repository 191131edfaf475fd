"""The fair queue (issue #15): priorities, turns between submission batches, and the order a
restarted or migrated store rebuilds. FairQueue alone, then through the JobQueue on a real DuckDB
file with a simulated worker claiming."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from store_parts import Parts, make_settings, run, spec

from adclf.store.fair_queue import FairQueue
from adclf.store.schema import JOB_COLUMNS


def drain(queue: FairQueue) -> list[str]:
    got = []
    while (job_id := queue.pop()) is not None:
        got.append(job_id)
    return got


def test_higher_priorities_first_then_batches_in_turn() -> None:
    q = FairQueue()
    for i in range(3):
        q.push(f"a{i}", "normal", "A")
    q.push("low", "low", "L")
    for i in range(2):
        q.push(f"b{i}", "normal", "B")
    q.push("high", "high", "H")
    expected = ["high", "a0", "b0", "a1", "b1", "a2", "low"]
    assert list(q) == expected  # iteration shows the claim order without taking anything
    assert len(q) == 7 and q
    assert drain(q) == expected
    assert not q and q.pop() is None


def test_a_new_batch_gets_its_turn_within_one_round() -> None:
    q = FairQueue()
    for i in range(1000):
        q.push(f"a{i}", "normal", "A")
    assert [q.pop(), q.pop()] == ["a0", "a1"]
    q.push("b0", "normal", "B")
    q.push("c0", "normal", "C")
    assert [q.pop() for _ in range(4)] == ["a2", "b0", "c0", "a3"]


def test_push_front_goes_first_in_its_priority_only() -> None:
    q = FairQueue()
    q.push("h", "high", "H")
    for i in range(2):
        q.push(f"a{i}", "normal", "A")
        q.push(f"b{i}", "normal", "B")
    q.push_front("retry", "normal", "B")
    assert drain(q) == ["h", "retry", "a0", "b0", "a1", "b1"]


def test_unknown_or_missing_priority_and_batch_are_normal_and_shared() -> None:
    q = FairQueue()
    q.push("x", None, None)
    q.push("y", "urgent", None)
    q.push("z", "normal", "Z")
    assert drain(q) == ["x", "z", "y"]  # x and y are one (legacy) batch


# ---- through the store's job queue -------------------------------------------------------------
def test_an_upload_behind_500_low_jobs_is_the_next_claim(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    low = run(parts.jobs.create([spec(i, priority="low") for i in range(500)]))
    busy = [parts.claim("w0")["job_id"], parts.claim("w1")["job_id"]]
    assert busy == [low[0]["job_id"], low[1]["job_id"]]
    upload = run(parts.jobs.create([{**spec(999), "source_kind": "upload",
                                     "priority": "high"}]))[0]
    assert parts.on_disk(upload["job_id"])["priority"] == "high"
    # The next free worker slot: w0 reports its result and gets the upload, not low job 3.
    got = run(parts.jobs.complete_and_claim(busy[0], "w0", {"brand": "A"}, None, None))
    assert got["next"]["job_id"] == upload["job_id"]
    assert parts.claim("w2")["job_id"] == low[2]["job_id"]


def test_two_batches_submitted_one_after_the_other_alternate(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    a = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(20)]))]
    b = [r["job_id"] for r in run(parts.jobs.create([spec(100 + i) for i in range(5)]))]
    rows = {r: parts.on_disk(r) for r in (a[1], a[2], b[0], b[1])}
    assert rows[a[1]]["batch_id"] == rows[a[2]]["batch_id"] != rows[b[0]]["batch_id"]
    assert rows[b[0]]["batch_id"] == rows[b[1]]["batch_id"]
    assert all(r["priority"] == "normal" for r in rows.values())
    job_id = parts.claim("w0")["job_id"]
    claims = [job_id]
    while True:  # one worker: each completion takes the next job
        got = run(parts.jobs.complete_and_claim(job_id, "w0", {"brand": "X"}, None, None))
        if got["next"] is None:
            break
        job_id = got["next"]["job_id"]
        claims.append(job_id)
    assert "".join("A" if j in a else "B" for j in claims) == "AB" * 5 + "A" * 15
    assert claims == [j for pair in zip(a, b, strict=False) for j in pair] + a[5:]


def test_a_batch_arriving_while_another_runs_waits_one_turn(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    a = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(6)]))]
    running = [parts.claim("w0")["job_id"], parts.claim("w1")["job_id"]]
    b = [r["job_id"] for r in run(parts.jobs.create([spec(100 + i) for i in range(3)]))]
    # A had its turns: the next is A's (in rotation A was first), then they alternate.
    assert running == a[:2]
    assert [parts.claim("w")["job_id"] for _ in range(7)] == [
        a[2], b[0], a[3], b[1], a[4], b[2], a[5]]


def test_a_batch_id_given_by_the_caller_spans_calls(tmp_path: Path) -> None:
    # The service gives one id to every job of a submit call, even when they reach this
    # node in two store calls (a node that died between placement and creation).
    parts = Parts.open(make_settings(tmp_path))
    a = run(parts.jobs.create([spec(i, batch_id="A") for i in range(2)]))
    b = run(parts.jobs.create([spec(9, batch_id="B")]))
    a += run(parts.jobs.create([spec(i, batch_id="A") for i in range(2, 4)]))
    assert [parts.claim("w")["job_id"] for _ in range(5)] == [
        a[0]["job_id"], b[0]["job_id"], a[1]["job_id"], a[2]["job_id"], a[3]["job_id"]]


def test_a_retried_job_goes_first_in_its_priority_not_before_high(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, MAX_ATTEMPTS=3))
    normal = [r["job_id"] for r in run(parts.jobs.create([spec(i) for i in range(3)]))]
    failing = parts.claim("w0")["job_id"]
    high = run(parts.jobs.create([spec(9, priority="high")]))[0]["job_id"]
    assert run(parts.jobs.fail(failing, "w0", "GPU out of memory", retry=True))
    assert [parts.claim("w")["job_id"] for _ in range(3)] == [high, failing, normal[1]]


def test_invalid_priority_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    with pytest.raises(ValueError, match="priority must be one of high, normal, low"):
        run(parts.jobs.create([spec(1), spec(2, priority="urgent")]))
    assert parts.jobs.active == {} and not parts.jobs.queue


def test_priority_batch_and_order_survive_a_restart(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    a = run(parts.jobs.create([spec(i, priority="low") for i in range(3)]))
    b = run(parts.jobs.create([spec(10 + i) for i in range(3)]))
    c = run(parts.jobs.create([spec(20 + i) for i in range(2)]))
    h = run(parts.jobs.create([spec(30, priority="high")]))
    claimed = parts.claim("w0")["job_id"]
    assert claimed == h[0]["job_id"]
    before = list(parts.jobs.queue)
    parts = parts.crash()
    assert parts.on_disk(claimed)["status"] == "re-queued"
    for rows, priority in ((a, "low"), (b, "normal"), (c, "normal"), (h, "high")):
        on_disk = [parts.on_disk(r["job_id"]) for r in rows]
        assert {r["priority"] for r in on_disk} == {priority}
        assert len({r["batch_id"] for r in on_disk}) == 1
    # Rebuilt in created order: the re-queued high job first, then the same turns as before.
    assert list(parts.jobs.queue) == [claimed, *before]
    assert [parts.claim("w1")["job_id"] for _ in range(len(before) + 1)] == [claimed, *before]


def test_a_file_from_before_priorities_is_migrated(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    path = settings.db_path("node-u")
    old_columns = JOB_COLUMNS[:-2]  # version 1: no priority, no batch_id
    assert [name for name, _, _ in JOB_COLUMNS[-2:]] == ["priority", "batch_id"]
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE jobs (" + ", ".join(f"{n} {sql}" for n, sql, _ in old_columns)
                + ")")
    for i in (1, 2):
        values = {n: None for n, _, _ in old_columns} | {
            "job_id": f"old-{i}", "seq": i, "node": "node-u", "status": "queued",
            "stage": "queued", "progress": 0.0, "mode": "pipeline", "source_kind": "file",
            "source": f"/videos/old{i}.mp4", "settings": "{}", "attempts": 0,
            "created_at": float(i), "updated_at": float(i)}
        con.execute(f"INSERT INTO jobs VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()))
    con.close()

    parts = Parts.open(settings)
    assert parts.db.get_meta("schema_version") == "2"
    old = parts.on_disk("old-1")
    assert old["priority"] == "normal" and old["batch_id"] is None
    new = run(parts.jobs.create([spec(3, priority="low"), spec(4)]))
    assert parts.on_disk(new[0]["job_id"])["priority"] == "low"  # columns in the right order
    # The old jobs are one batch that takes turns with the new normal one.
    assert [parts.claim("w")["job_id"] for _ in range(4)] == [
        "old-1", new[1]["job_id"], "old-2", new[0]["job_id"]]
    parts = parts.crash()  # opening a migrated file again changes nothing
    assert parts.on_disk("old-2")["status"] == "re-queued"
