"""The benchmark lab's tables on a real DuckDB file, without Ray: sets and items, suites with
their runs, results replaced on each computation, exports readable back, all kept across a
restart of the store."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from adclf.store.benchmarks import Benchmarks
from adclf.store.db import JobDB

ITEM = {"name": "ad", "source_kind": "url", "source": "http://127.0.0.1:9/a.mp4",
        "expected_brand": "Nike", "expected_category": "IAB-1", "expected_ocr_text": ""}
CONFIG = {"provider": "embedded", "scan_mode": "Tail Only", "ocr_engine": "rapidocr",
          "ocr_mode": "Fast"}


def _result(key: str, brand: float) -> dict[str, object]:
    return {"config_key": key, **CONFIG, "runs": 2, "completed": 2, "failed": 0, "pending": 0,
            "brand_accuracy": brand, "category_accuracy": 0.5, "tier1_accuracy": 1.0,
            "tier2_accuracy": 1.0, "ocr_similarity": None, "latency_p50": 2.0,
            "latency_p95": 3.0, "confidence_right": 0.9, "confidence_wrong": None}


def test_sets_suites_and_results_are_stored_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "node.duckdb"
    db = JobDB(path)
    bench = Benchmarks(db)
    made = bench.create_set("set-1", "Shoes", [{**ITEM, "item_id": "t1"},
                                                {**ITEM, "item_id": "t2", "name": "ad 2"}])
    assert made["item_count"] == 2 and [i["item_id"] for i in made["items"]] == ["t1", "t2"]
    bench.create_set("set-1", "ignored", [{**ITEM, "item_id": "t3"}])  # adds to the same set
    assert [s["item_count"] for s in bench.sets()] == [3]
    assert bench.delete_item("t3") and not bench.delete_item("t3")
    suite = bench.create_suite(
        {"suite_id": "s1", "name": "tail", "set_id": "set-1", "batch_id": "s1",
         "matrix": {"scan_mode": ["Tail Only"]}},
        [{"config_key": "k", "config": CONFIG, "item_id": "t1", "job_id": "n-1"},
         {"config_key": "k", "config": CONFIG, "item_id": "t2", "job_id": "n-2"}])
    assert suite["run_count"] == 2 and suite["runs"][0]["config"] == CONFIG
    bench.save_results("s1", [_result("k", 0.5)], [])
    bench.save_results("s1", [_result("k", 1.0)],
                       [{"config_key": "k", "item_id": "t1", "job_id": "n-1",
                         "status": "completed", "brand": "Nike", "brand_ok": True,
                         "latency": 2.0, "confidence": 0.9}])
    db.close()

    again = Benchmarks(JobDB(path))
    assert again.get_set("set-1") is not None and again.item("t1") is not None
    assert again.suite("s1") is not None and again.suite("nope") is None
    got = again.results("s1")
    assert [c["brand_accuracy"] for c in got["configurations"]] == [1.0]  # replaced, not added
    assert got["runs"][0]["brand_ok"] is True
    table = pq.read_table(io.BytesIO(again.export("s1", "configurations", "parquet")))
    assert table.column("brand_accuracy").to_pylist() == [1.0]
    csv_path = tmp_path / "runs.csv"
    csv_path.write_bytes(again.export("s1", "runs", "csv"))
    rows = duckdb.sql(f"SELECT job_id, latency FROM read_csv('{csv_path}')").fetchall()
    assert rows == [("n-1", 2.0)]


def test_a_suite_with_a_duplicate_job_leaves_nothing_behind(tmp_path: Path) -> None:
    bench = Benchmarks(JobDB(tmp_path / "node.duckdb"))
    run = {"config_key": "k", "config": CONFIG, "item_id": "t1", "job_id": "n-1"}
    with pytest.raises(duckdb.ConstraintException):
        bench.create_suite({"suite_id": "s1", "name": "x", "set_id": "a", "batch_id": "s1",
                            "matrix": {}}, [run, run])
    assert bench.suites() == []
