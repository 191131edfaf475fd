"""The CLI's file ledger: what it acknowledged survives a restart, a torn last line does not
stop it."""

from __future__ import annotations

from pathlib import Path

from adclf.watch.ledger import LEDGER_NAME, FileLedger, LedgerEntry


def test_entries_and_written_marks_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_NAME
    ledger = FileLedger(path)
    ledger.add(LedgerEntry("a" * 64, "/in/a.mp4", "node-a-1", 1.0))
    ledger.add(LedgerEntry("b" * 64, "/in/b.mp4", "node-a-2", 2.0))
    ledger.mark_written("a" * 64, "completed")
    again = FileLedger(path)
    assert again.get("a" * 64) == LedgerEntry("a" * 64, "/in/a.mp4", "node-a-1", 1.0,
                                              "completed")
    assert [e.job_id for e in again.unfinished()] == ["node-a-2"]
    with path.open("a") as fh:
        fh.write('{"sha256": "c')  # a crash in the middle of a line
    third = FileLedger(path)
    assert third.get("c" * 64) is None and len(third.entries) == 2
