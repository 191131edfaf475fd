"""The output: checkpointed parts, resume statuses, one row per input after a merge."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adclf.batch import rows
from adclf.batch.output import Results


def _ok(name: str, brand: str) -> dict:
    result = {k: None for k in rows.RESULT_FIELDS} | {"brand": brand, "confidence": 0.9}
    return rows.completed_row(name, "file", result, {"attempts": []}, 3.0, 0.5, "node-a")


def test_parts_then_merge_keep_the_newest_row_of_each_input(tmp_path: Path) -> None:
    res = Results(tmp_path / "out" / "results.parquet")
    res.add(rows.table([_ok("a", "A"), rows.failed_row("b", "file", "empty", 0.0, "node-a")]))
    res.add(rows.table([_ok("c", "C")]))
    assert res.statuses() == {"a": "completed", "b": "failed", "c": "completed"}
    assert res.merge() == 3
    assert not res.parts.exists()
    # a resumed run retries the failed input; its new row replaces the old one
    again = Results(tmp_path / "out" / "results.parquet")
    again.add(rows.table([_ok("b", "B")]))
    assert again.statuses()["b"] == "completed"
    assert again.merge() == 3
    table = pq.read_table(tmp_path / "out" / "results.parquet")
    assert table.schema == rows.SCHEMA
    assert sorted(zip(table.column("input").to_pylist(), table.column("brand").to_pylist(),
                      strict=True)) == [("a", "A"), ("b", "B"), ("c", "C")]
    csv = pacsv.read_csv(tmp_path / "out" / "results.csv")
    assert sorted(csv.column("input").to_pylist()) == ["a", "b", "c"]
    assert "explanation" in csv.column_names


def test_a_csv_out_writes_both_formats(tmp_path: Path) -> None:
    res = Results(tmp_path / "r.csv")
    res.add(rows.table([_ok("a", "A")]))
    res.merge()
    assert (tmp_path / "r.csv").exists() and (tmp_path / "r.parquet").exists()


def test_result_fields_are_the_apis(tmp_path: Path) -> None:
    """The result columns are the job result's flat fields (GET /jobs/{id}/result)."""
    from adclf.api.schemas import JobResult

    api = [k for k in JobResult.model_fields if k not in ("result", "job_id", "status")]
    assert list(rows.RESULT_FIELDS) == api
