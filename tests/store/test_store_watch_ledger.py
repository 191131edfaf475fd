"""The watch-folder ledger part on a real DuckDB file, without Ray: one job per content hash,
and a claim cut off by a crash at either step neither loses the file nor classifies it twice."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from store_parts import Parts, make_settings, run

from adclf.store.watch_ledger import WatchLedger

SPEC = {"mode": "pipeline", "source_kind": "file", "settings": {}}


def _open(tmp_path: Path, **overrides: object) -> tuple[Parts, WatchLedger]:
    parts = Parts.open(make_settings(tmp_path, **overrides))
    return parts, WatchLedger(parts.node, parts.db, parts.jobs)


def _spec(path: str) -> dict[str, object]:
    return {**SPEC, "source": path, "original_name": Path(path).name}


def test_one_job_per_content_and_the_ledger_survives_a_restart(tmp_path: Path) -> None:
    parts, ledger = _open(tmp_path)
    first = run(ledger.claim("a" * 64, "/in/ad.mp4", _spec("/in/ad.mp4")))
    assert first["created"] is True
    job_id = first["entry"]["job_id"]
    assert job_id.startswith(f"{parts.node}-")
    job = parts.on_disk(job_id)
    assert (job["source"], job["status"]) == ("/in/ad.mp4", "queued")
    # The same content under another name: the first job, no new one.
    again = run(ledger.claim("a" * 64, "/in/renamed.mp4", _spec("/in/renamed.mp4")))
    assert again["created"] is False and again["entry"]["job_id"] == job_id
    assert again["entry"]["path"] == "/in/ad.mp4"
    assert parts.db.counts() == {"queued": 1}

    parts = parts.crash()
    ledger = WatchLedger(parts.node, parts.db, parts.jobs)
    after = run(ledger.claim("a" * 64, "/in/ad.mp4", _spec("/in/ad.mp4")))
    assert after["created"] is False and after["entry"]["job_id"] == job_id
    assert [e["job_id"] for e in ledger.unfinished()] == [job_id]
    assert ledger.mark_written("a" * 64, "completed")
    assert not ledger.mark_written("b" * 64, "completed")  # unknown hash
    parts = parts.crash()
    ledger = WatchLedger(parts.node, parts.db, parts.jobs)
    assert ledger.unfinished() == []
    assert ledger.entries()[0]["written"] == "completed"


def test_a_claim_cut_off_before_its_job_is_dropped_and_one_after_is_kept(tmp_path: Path
                                                                         ) -> None:
    parts, ledger = _open(tmp_path)
    done = run(ledger.claim("c" * 64, "/in/c.mp4", _spec("/in/c.mp4")))["entry"]["job_id"]
    # Step 1 of a claim committed, the store died before the job: as the file holds it.
    ghost = f"{parts.node}-{uuid.uuid4()}"
    parts.db.con.execute("INSERT INTO watch_ledger VALUES (?, '/in/d.mp4', ?, 'submitting', 1, "
                         "NULL, NULL)", ["d" * 64, ghost])
    # Both steps committed, the store died before the row said so.
    parts.db.con.execute("UPDATE watch_ledger SET state = 'submitting' WHERE sha256 = ?",
                         ["c" * 64])
    parts = parts.crash()
    ledger = WatchLedger(parts.node, parts.db, parts.jobs)
    assert ledger.get("d" * 64) is None  # so the next scan claims the file again
    kept = parts.db.con.execute("SELECT job_id, state FROM watch_ledger WHERE sha256 = ?",
                                ["c" * 64]).fetchone()
    assert kept == (done, "submitted")
    redo = run(ledger.claim("d" * 64, "/in/d.mp4", _spec("/in/d.mp4")))
    assert redo["created"] is True and parts.in_file(redo["entry"]["job_id"])
    assert parts.db.counts() == {"queued": 2}


def test_a_refused_job_leaves_no_ledger_row(tmp_path: Path) -> None:
    parts, ledger = _open(tmp_path, MAX_PENDING_JOBS_PER_NODE=1)
    run(ledger.claim("e" * 64, "/in/e.mp4", _spec("/in/e.mp4")))
    with pytest.raises(OverflowError):
        run(ledger.claim("f" * 64, "/in/f.mp4", _spec("/in/f.mp4")))
    assert ledger.get("f" * 64) is None
    assert [e["sha256"][0] for e in ledger.entries()] == ["e"]
