"""The benchmark lab's tables in one node's DuckDB file (the home node's: see
services.benchmarks), written only here, inside the JobStore actor, so the file keeps one writer.

- truth_sets / truth_items: videos (URL, server path) with the expected brand, category and
  optionally OCR text, confidence and reasoning; an item can be edited, and deleting it takes
  its runs and scores out of every suite;
- suites / suite_runs: a matrix of settings and, for each configuration x truth item, the job
  that ran it (submitted through the normal job path); a suite can be renamed and deleted;
- suite_results / suite_scores: the scores computed from the jobs' results, per configuration
  and per run; exported as CSV or Parquet;
- uploaded truth videos are kept in `media_dir` (outside the upload folder, so neither a deleted
  benchmark job nor the orphan cleanup removes them), until their item is deleted or its video
  replaced.

Like watch_ledger, the statements run between the writer's commits (each of those is one
synchronous call), never inside one; a multi-row change is one explicit transaction."""

from __future__ import annotations

import io
import json
import shutil
import time
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adclf.store.db import JobDB, Row

DDL = (
    "CREATE TABLE IF NOT EXISTS truth_sets (set_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
    "created_at DOUBLE NOT NULL)",
    "CREATE TABLE IF NOT EXISTS truth_items (item_id VARCHAR PRIMARY KEY, set_id VARCHAR NOT "
    "NULL, name VARCHAR NOT NULL, source_kind VARCHAR NOT NULL, source VARCHAR NOT NULL, "
    "expected_brand VARCHAR NOT NULL, expected_category VARCHAR NOT NULL, "
    "expected_ocr_text VARCHAR NOT NULL, created_at DOUBLE NOT NULL)",
    "CREATE TABLE IF NOT EXISTS suites (suite_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "
    "set_id VARCHAR NOT NULL, matrix VARCHAR NOT NULL, batch_id VARCHAR NOT NULL, "
    "created_at DOUBLE NOT NULL)",
    "CREATE TABLE IF NOT EXISTS suite_runs (suite_id VARCHAR NOT NULL, config_key VARCHAR NOT "
    "NULL, config VARCHAR NOT NULL, item_id VARCHAR NOT NULL, job_id VARCHAR NOT NULL, "
    "PRIMARY KEY (suite_id, job_id))",
    "CREATE TABLE IF NOT EXISTS suite_results (suite_id VARCHAR NOT NULL, config_key VARCHAR "
    "NOT NULL, provider VARCHAR, scan_mode VARCHAR, ocr_engine VARCHAR, ocr_mode VARCHAR, "
    "runs INTEGER, completed INTEGER, failed INTEGER, pending INTEGER, brand_accuracy DOUBLE, "
    "category_accuracy DOUBLE, tier1_accuracy DOUBLE, tier2_accuracy DOUBLE, "
    "ocr_similarity DOUBLE, latency_p50 DOUBLE, latency_p95 DOUBLE, confidence_right DOUBLE, "
    "confidence_wrong DOUBLE, computed_at DOUBLE, PRIMARY KEY (suite_id, config_key))",
    "CREATE TABLE IF NOT EXISTS suite_scores (suite_id VARCHAR NOT NULL, config_key VARCHAR "
    "NOT NULL, item_id VARCHAR NOT NULL, job_id VARCHAR NOT NULL, status VARCHAR, "
    "brand VARCHAR, category_id VARCHAR, brand_ok BOOLEAN, category_ok BOOLEAN, "
    "tier1_ok BOOLEAN, tier2_ok BOOLEAN, ocr_similarity DOUBLE, latency DOUBLE, "
    "confidence DOUBLE, PRIMARY KEY (suite_id, job_id))",
)
# Columns added after the first release: ALTERs, so an existing file gains them (with their
# defaults) on the next start, like store.schema's MIGRATIONS.
MIGRATIONS = (
    "ALTER TABLE truth_items ADD COLUMN IF NOT EXISTS expected_confidence DOUBLE",
    "ALTER TABLE truth_items ADD COLUMN IF NOT EXISTS expected_reasoning VARCHAR DEFAULT ''",
    "ALTER TABLE truth_items ADD COLUMN IF NOT EXISTS updated_at DOUBLE",
    "ALTER TABLE suites ADD COLUMN IF NOT EXISTS description VARCHAR DEFAULT ''",
    "ALTER TABLE suites ADD COLUMN IF NOT EXISTS updated_at DOUBLE",
)
ITEM_FIELDS = ("name", "source_kind", "source", "expected_brand", "expected_category",
               "expected_ocr_text")
RESULT_FIELDS = ("config_key", "provider", "scan_mode", "ocr_engine", "ocr_mode", "runs",
                 "completed", "failed", "pending", "brand_accuracy", "category_accuracy",
                 "tier1_accuracy", "tier2_accuracy", "ocr_similarity", "latency_p50",
                 "latency_p95", "confidence_right", "confidence_wrong")
SCORE_FIELDS = ("config_key", "item_id", "job_id", "status", "brand", "category_id", "brand_ok",
                "category_ok", "tier1_ok", "tier2_ok", "ocr_similarity", "latency", "confidence")
# What an edit of a truth item may change (services.benchmark_truths checks the values).
EDITABLE = ("source_kind", "source", "expected_brand", "expected_category",
            "expected_ocr_text", "expected_confidence", "expected_reasoning")
Table = Literal["configurations", "runs"]
Format = Literal["csv", "parquet"]


class Benchmarks:
    def __init__(self, db: JobDB, media_dir: Path | None = None) -> None:
        self.db = db
        self.media_dir = media_dir
        for stmt in (*DDL, *MIGRATIONS):
            db.con.execute(stmt)

    def _rows(self, sql: str, params: list[Any]) -> list[Row]:
        cur = self.db.con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, rec, strict=True)) for rec in cur.fetchall()]

    def _atomic(self, statements: list[tuple[str, list[Any]]]) -> None:
        con = self.db.con
        con.execute("BEGIN TRANSACTION")
        try:
            for sql, params in statements:
                con.execute(sql, params)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    # ---- truth sets ----------------------------------------------------------------------------
    def create_set(self, set_id: str, name: str, items: list[dict[str, Any]]) -> Row:
        """A new set (or, when `set_id` exists, the same set) with `items` added."""
        now = time.time()
        stmts: list[tuple[str, list[Any]]] = [(
            "INSERT INTO truth_sets VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [set_id, name, now])]
        stmts += self._item_inserts(set_id, items, now)
        self._atomic(stmts)
        got = self.get_set(set_id)
        assert got is not None
        return got

    def add_items(self, set_id: str, items: list[dict[str, Any]]) -> list[Row]:
        self._atomic(self._item_inserts(set_id, items, time.time()))
        return self.items(set_id)

    @staticmethod
    def _item_inserts(set_id: str, items: list[dict[str, Any]], now: float
                      ) -> list[tuple[str, list[Any]]]:
        cols = ("item_id", "set_id", *ITEM_FIELDS, "expected_confidence", "expected_reasoning",
                "created_at")
        marks = ", ".join("?" for _ in cols)
        return [(f"INSERT INTO truth_items ({', '.join(cols)}) VALUES ({marks})",
                 [it["item_id"], set_id, *(str(it.get(f) or "") for f in ITEM_FIELDS),
                  it.get("expected_confidence"), str(it.get("expected_reasoning") or ""),
                  now + i * 1e-6]) for i, it in enumerate(items)]

    def get_set(self, set_id: str) -> Row | None:
        rows = [s for s in self.sets() if s["set_id"] == set_id]
        return {**rows[0], "items": self.items(set_id)} if rows else None

    def sets(self) -> list[Row]:
        return self._rows(
            "SELECT s.set_id, s.name, s.created_at, count(i.item_id) AS item_count "
            "FROM truth_sets s LEFT JOIN truth_items i USING (set_id) "
            "GROUP BY ALL ORDER BY s.created_at DESC", [])

    def items(self, set_id: str | None = None) -> list[Row]:
        where = "WHERE set_id = ?" if set_id is not None else ""
        return self._rows(f"SELECT * FROM truth_items {where} ORDER BY created_at",
                          [set_id] if set_id is not None else [])

    def item(self, item_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM truth_items WHERE item_id = ?", [item_id])
        return rows[0] if rows else None

    def update_item(self, item_id: str, changes: dict[str, Any]) -> Row | None:
        """Set the given EDITABLE fields of an item; a replaced uploaded video is removed."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        before = self.item(item_id)
        if before is None:
            return None
        sets = ", ".join([*(f"{k} = ?" for k in changes), "updated_at = ?"])
        self.db.con.execute(f"UPDATE truth_items SET {sets} WHERE item_id = ?",
                            [*changes.values(), time.time(), item_id])
        if changes.get("source", before["source"]) != before["source"]:
            self._drop_media(before["source"])
        return self.item(item_id)

    def item_suites(self, item_id: str) -> list[str]:
        """The suites that ran `item_id` (a suite over a set does not use items added later)."""
        rows = self.db.con.execute("SELECT DISTINCT suite_id FROM suite_runs WHERE item_id = ? "
                                   "ORDER BY suite_id", [item_id]).fetchall()
        return [r[0] for r in rows]

    def delete_item(self, item_id: str) -> bool:
        """The item, its runs in every suite and their scores (the suites' per-configuration
        results are recomputed when next asked)."""
        before = self.item(item_id)
        if before is None:
            return False
        self._atomic([("DELETE FROM suite_scores WHERE item_id = ?", [item_id]),
                      ("DELETE FROM suite_runs WHERE item_id = ?", [item_id]),
                      ("DELETE FROM truth_items WHERE item_id = ?", [item_id])])
        self._drop_media(before["source"])
        return True

    def _drop_media(self, source: str) -> None:
        if self.media_dir is not None and Path(source).parent == self.media_dir:
            Path(source).unlink(missing_ok=True)

    def adopt_upload(self, path: Path, item_id: str) -> str:
        """Move an uploaded video into the media folder as the video of `item_id`."""
        if self.media_dir is None:
            raise RuntimeError("this store keeps no benchmark media")
        self.media_dir.mkdir(parents=True, exist_ok=True)
        dest = self.media_dir / f"{item_id}{path.suffix}"
        shutil.move(str(path), dest)
        return str(dest)

    # ---- suites --------------------------------------------------------------------------------
    def create_suite(self, suite: dict[str, Any], runs: list[dict[str, Any]]) -> Row:
        """`suite`: suite_id, name, set_id, matrix (dict), batch_id; `runs`: config_key,
        config (dict), item_id, job_id."""
        now = time.time()
        stmts: list[tuple[str, list[Any]]] = [(
            "INSERT INTO suites (suite_id, name, set_id, matrix, batch_id, created_at, "
            "description, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [suite["suite_id"], suite["name"], suite["set_id"], json.dumps(suite["matrix"]),
             suite["batch_id"], now, str(suite.get("description") or ""), now])]
        stmts += [("INSERT INTO suite_runs VALUES (?, ?, ?, ?, ?)",
                   [suite["suite_id"], r["config_key"], json.dumps(r["config"]), r["item_id"],
                    r["job_id"]]) for r in runs]
        self._atomic(stmts)
        got = self.suite(suite["suite_id"])
        assert got is not None
        return got

    def suites(self) -> list[Row]:
        rows = self._rows(
            "SELECT s.*, count(r.job_id) AS run_count FROM suites s LEFT JOIN suite_runs r "
            "USING (suite_id) GROUP BY ALL ORDER BY s.created_at DESC", [])
        return [{**r, "matrix": json.loads(r["matrix"])} for r in rows]

    def suite(self, suite_id: str) -> Row | None:
        rows = [s for s in self.suites() if s["suite_id"] == suite_id]
        if not rows:
            return None
        runs = self._rows("SELECT config_key, config, item_id, job_id FROM suite_runs "
                          "WHERE suite_id = ? ORDER BY config_key, item_id", [suite_id])
        return {**rows[0], "runs": [{**r, "config": json.loads(r["config"])} for r in runs]}

    def update_suite(self, suite_id: str, name: str, description: str) -> Row | None:
        got = self.db.con.execute(
            "UPDATE suites SET name = ?, description = ?, updated_at = ? WHERE suite_id = ? "
            "RETURNING suite_id", [name, description, time.time(), suite_id]).fetchall()
        return self.suite(suite_id) if got else None

    def delete_suite(self, suite_id: str) -> dict[str, int] | None:
        """The suite, its runs and its stored results; None if there is no such suite. Its jobs
        are the caller's (services.benchmarks deletes them through the job path first)."""
        counts = self.db.con.execute(
            "SELECT (SELECT count(*) FROM suites WHERE suite_id = $1), "
            "(SELECT count(*) FROM suite_runs WHERE suite_id = $1), "
            "(SELECT count(*) FROM suite_scores WHERE suite_id = $1), "
            "(SELECT count(*) FROM suite_results WHERE suite_id = $1)", [suite_id]).fetchone()
        if not counts or not counts[0]:
            return None
        self._atomic([(f"DELETE FROM {t} WHERE suite_id = ?", [suite_id])
                      for t in ("suite_scores", "suite_results", "suite_runs", "suites")])
        return {"runs": counts[1], "scores": counts[2], "configurations": counts[3]}

    # ---- results -------------------------------------------------------------------------------
    def save_results(self, suite_id: str, configurations: list[dict[str, Any]],
                     scores: list[dict[str, Any]]) -> None:
        """Replace the suite's stored results with freshly computed ones."""
        now = time.time()
        marks = ", ".join("?" for _ in RESULT_FIELDS)
        smarks = ", ".join("?" for _ in SCORE_FIELDS)
        stmts: list[tuple[str, list[Any]]] = [
            ("DELETE FROM suite_results WHERE suite_id = ?", [suite_id]),
            ("DELETE FROM suite_scores WHERE suite_id = ?", [suite_id])]
        stmts += [(f"INSERT INTO suite_results (suite_id, {', '.join(RESULT_FIELDS)}, "
                   f"computed_at) VALUES (?, {marks}, ?)",
                   [suite_id, *(c.get(f) for f in RESULT_FIELDS), now]) for c in configurations]
        stmts += [(f"INSERT INTO suite_scores (suite_id, {', '.join(SCORE_FIELDS)}) "
                   f"VALUES (?, {smarks})", [suite_id, *(s.get(f) for f in SCORE_FIELDS)])
                  for s in scores]
        self._atomic(stmts)

    def _table(self, suite_id: str, table: Table) -> pa.Table:
        name, fields, order = (("suite_results", RESULT_FIELDS, "config_key")
                               if table == "configurations"
                               else ("suite_scores", SCORE_FIELDS, "config_key, job_id"))
        return self.db.con.sql(f"SELECT suite_id, {', '.join(fields)} FROM {name} "
                               f"WHERE suite_id = ? ORDER BY {order}",
                               params=[suite_id]).to_arrow_table()

    def results(self, suite_id: str) -> dict[str, list[Row]]:
        return {"configurations": self._table(suite_id, "configurations").to_pylist(),
                "runs": self._table(suite_id, "runs").to_pylist()}

    def export(self, suite_id: str, table: Table, fmt: Format) -> bytes:
        data = self._table(suite_id, table)
        buf = io.BytesIO()
        if fmt == "parquet":
            pq.write_table(data, buf)
        else:
            pacsv.write_csv(data, buf)
        return buf.getvalue()
