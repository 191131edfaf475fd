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


def _suite(bench: Benchmarks, suite_id: str, items: list[str]) -> None:
    bench.create_suite({"suite_id": suite_id, "name": suite_id, "set_id": "set-1",
                        "batch_id": suite_id, "matrix": {}},
                       [{"config_key": "k", "config": CONFIG, "item_id": i,
                         "job_id": f"n-{suite_id}-{i}"} for i in items])


def test_an_item_is_edited_and_its_replaced_upload_removed(tmp_path: Path) -> None:
    media = tmp_path / "media"
    bench = Benchmarks(JobDB(tmp_path / "node.duckdb"), media)
    upload = tmp_path / "up.mp4"
    upload.write_bytes(b"video")
    kept = bench.adopt_upload(upload, "t1")
    bench.create_set("set-1", "Shoes", [{**ITEM, "item_id": "t1", "source_kind": "upload",
                                         "source": kept, "expected_confidence": 0.7,
                                         "expected_reasoning": "swoosh"}])
    first = bench.item("t1")
    assert first is not None and first["updated_at"] is None
    assert (first["expected_confidence"], first["expected_reasoning"]) == (0.7, "swoosh")

    same = bench.update_item("t1", {"expected_brand": "Puma", "source": kept})
    assert same is not None and same["expected_brand"] == "Puma" and Path(kept).is_file()
    assert same["updated_at"] >= same["created_at"] and same["expected_reasoning"] == "swoosh"
    moved = bench.update_item("t1", {"source_kind": "url", "source": "http://127.0.0.1:9/b.mp4",
                                     "expected_confidence": 0.2})
    assert moved is not None and moved["source"] == "http://127.0.0.1:9/b.mp4"
    assert moved["expected_confidence"] == 0.2 and not Path(kept).exists()
    assert bench.update_item("nope", {"expected_brand": "x"}) is None
    with pytest.raises(ValueError, match="not editable"):
        bench.update_item("t1", {"set_id": "elsewhere"})


def test_a_suite_is_renamed_and_deleted_with_its_runs_and_results(tmp_path: Path) -> None:
    bench = Benchmarks(JobDB(tmp_path / "node.duckdb"))
    bench.create_set("set-1", "Shoes", [{**ITEM, "item_id": "t1"}, {**ITEM, "item_id": "t2"}])
    _suite(bench, "s1", ["t1", "t2"])
    _suite(bench, "s2", ["t1"])
    made = bench.suite("s1")
    assert made is not None and made["description"] == "" and made["updated_at"] is not None
    renamed = bench.update_suite("s1", "Tail vs full", "first try")
    assert renamed is not None and (renamed["name"], renamed["description"]) == (
        "Tail vs full", "first try")
    assert renamed["updated_at"] >= made["updated_at"] and len(renamed["runs"]) == 2
    assert bench.update_suite("nope", "x", "") is None

    bench.save_results("s1", [_result("k", 1.0)],
                       [{"config_key": "k", "item_id": i, "job_id": f"n-s1-{i}"}
                        for i in ("t1", "t2")])
    assert bench.delete_suite("s1") == {"runs": 2, "scores": 2, "configurations": 1}
    assert bench.suite("s1") is None and bench.results("s1") == {"configurations": [],
                                                                  "runs": []}
    assert bench.delete_suite("s1") is None
    assert [s["suite_id"] for s in bench.suites()] == ["s2"]  # the other suite is untouched
    assert len(bench.items("set-1")) == 2  # the truth set outlives its suites


def test_deleting_an_item_takes_its_runs_and_scores_out_of_every_suite(tmp_path: Path) -> None:
    bench = Benchmarks(JobDB(tmp_path / "node.duckdb"))
    bench.create_set("set-1", "Shoes", [{**ITEM, "item_id": "t1"}, {**ITEM, "item_id": "t2"}])
    _suite(bench, "s1", ["t1", "t2"])
    _suite(bench, "s2", ["t2"])
    assert bench.item_suites("t2") == ["s1", "s2"] and bench.item_suites("t1") == ["s1"]
    bench.save_results("s1", [], [{"config_key": "k", "item_id": i, "job_id": f"n-s1-{i}"}
                                  for i in ("t1", "t2")])
    assert bench.delete_item("t2") and not bench.delete_item("t2")
    s1, s2 = bench.suite("s1"), bench.suite("s2")
    assert s1 is not None and [r["item_id"] for r in s1["runs"]] == ["t1"]
    assert s2 is not None and s2["runs"] == []
    assert [r["item_id"] for r in bench.results("s1")["runs"]] == ["t1"]
    assert bench.item_suites("t2") == []


def test_a_file_of_the_first_release_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "node.duckdb"
    db = JobDB(path)
    # The two tables as the first release created them, with a row each.
    db.con.execute("CREATE TABLE truth_items (item_id VARCHAR PRIMARY KEY, set_id VARCHAR NOT "
                   "NULL, name VARCHAR NOT NULL, source_kind VARCHAR NOT NULL, source VARCHAR "
                   "NOT NULL, expected_brand VARCHAR NOT NULL, expected_category VARCHAR NOT "
                   "NULL, expected_ocr_text VARCHAR NOT NULL, created_at DOUBLE NOT NULL)")
    db.con.execute("CREATE TABLE suites (suite_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
                   "set_id VARCHAR NOT NULL, matrix VARCHAR NOT NULL, batch_id VARCHAR NOT "
                   "NULL, created_at DOUBLE NOT NULL)")
    db.con.execute("INSERT INTO truth_items VALUES ('t1', 'set-1', 'ad', 'url', "
                   "'http://127.0.0.1:9/a.mp4', 'Nike', '', '', 1.0)")
    db.con.execute("INSERT INTO suites VALUES ('s1', 'old', 'set-1', '{}', 's1', 1.0)")
    db.close()

    bench = Benchmarks(JobDB(path))
    item = bench.item("t1")
    assert item is not None and (item["expected_confidence"], item["expected_reasoning"],
                                 item["updated_at"]) == (None, "", None)
    suite = bench.suite("s1")
    assert suite is not None and (suite["description"], suite["updated_at"]) == ("", None)
    assert bench.update_suite("s1", "new", "d") is not None
    _suite(bench, "s2", ["t1"])  # a new suite still inserts into the migrated table
    assert {s["suite_id"] for s in bench.suites()} == {"s1", "s2"}
