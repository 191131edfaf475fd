"""Results as files: JSON per ad next to the video or in a folder, one CSV with a header once."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from adclf.watch.ledger import LedgerEntry
from adclf.watch.results import CSV_NAME, ResultsWriter, parse_results

JOB = {"job_id": "node-a-1", "status": "completed", "brand": "=ACME", "category_name": "Shoes",
       "industry_name": "Retail", "confidence": 0.9, "error": None,
       "updated_at": "2026-12-02T00:00:00Z", "result": {"brand": "=ACME", "reasoning": "r"}}


def test_next_to_the_video(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    entry = LedgerEntry("a" * 64, str(tmp_path / "sub" / "ad.mp4"), "node-a-1", 1.0)
    written = ResultsWriter("next_to").write(entry, JOB, tmp_path)
    assert written == [tmp_path / "sub" / "ad.mp4.adclf.json", tmp_path / CSV_NAME]
    doc = json.loads(written[0].read_text())
    assert doc["job_id"] == "node-a-1" and doc["result"]["reasoning"] == "r"
    assert doc["watch"] == {"path": entry.path, "sha256": "a" * 64}
    other = LedgerEntry("c" * 64, str(tmp_path / "b.mp4"), "node-a-2", 2.0)
    ResultsWriter("next_to").write(other, {**JOB, "job_id": "node-a-2"}, tmp_path)
    rows = list(csv.reader((tmp_path / CSV_NAME).open()))
    assert rows[0][:4] == ["path", "sha256", "job_id", "status"]
    assert [r[2] for r in rows[1:]] == ["node-a-1", "node-a-2"]
    assert rows[1][4] == "'=ACME"  # not a formula in a spreadsheet


def test_into_a_results_folder(tmp_path: Path) -> None:
    out = tmp_path / "results"
    entry = LedgerEntry("b" * 64, "/in/spot.mov", "node-a-3", 1.0)
    json_path, csv_path = ResultsWriter("folder", out).write(entry, JOB, Path("/in"))
    assert json_path == out / f"spot.{'b' * 12}.json" and csv_path == out / CSV_NAME
    assert json.loads(json_path.read_text())["status"] == "completed"
    assert not list(out.glob(".*"))  # no partial file left


def test_the_setting() -> None:
    assert parse_results("off") == ("off", None)
    assert parse_results("next_to") == ("next_to", None)
    assert parse_results("/srv/out") == ("folder", Path("/srv/out"))
    with pytest.raises(ValueError, match="absolute"):
        parse_results("out")
