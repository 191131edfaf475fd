"""Synchronous DuckDB access for one node's store. Only the JobStore actor uses this class, so the
file has exactly one writer. Writes are batched by the caller into `commit()`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from adclf.domain import ACTIVE_STATUSES, FINAL_STATUSES
from adclf.store.schema import (
    DDL,
    EVENT_ARROW_SCHEMA,
    JOB_ARROW_SCHEMA,
    JOB_FIELDS,
    MAX_EVENTS_PER_JOB,
    MIGRATIONS,
    SCHEMA_VERSION,
)

Row = dict[str, Any]


class JobDB:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.con = duckdb.connect(str(path))
        for stmt in (*DDL, *MIGRATIONS):
            self.con.execute(stmt)
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        # Statements here are small; DuckDB's thread pool only adds hand-over costs to them.
        self.con.execute("SET threads = 1")

    def close(self) -> None:
        self.con.close()

    def reader(self) -> JobReader:
        """Reads for another thread: DuckDB connections are not thread-safe, cursors of one
        database are (each sees every committed transaction)."""
        return JobReader(self.con.cursor())

    # ---- reads -------------------------------------------------------------------------------
    def _rows(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        return _rows(self.con, sql, params)

    def active_rows(self) -> list[Row]:
        marks = ",".join("?" for _ in ACTIVE_STATUSES)
        return self._rows(
            f"SELECT * FROM jobs WHERE status IN ({marks}) ORDER BY seq", [*ACTIVE_STATUSES]
        )

    def max_seq(self) -> int:
        got = self.con.execute("SELECT coalesce(max(seq), 0) FROM jobs").fetchone()
        return int(got[0]) if got else 0

    def get(self, job_id: str) -> Row | None:
        rows = self._rows("SELECT * FROM jobs WHERE job_id = ?", [job_id])
        return rows[0] if rows else None

    def page(
        self,
        *,
        statuses: list[str] | None = None,
        query: str | None = None,
        limit: int = 100,
        offset: int = 0,
        summary: bool = True,
    ) -> tuple[list[Row], int]:
        where, params = self._filters(statuses, query)
        cols = "* EXCLUDE (explanation, artifacts, result)" if summary else "*"
        total_row = self.con.execute(f"SELECT count(*) FROM jobs {where}", params).fetchone()
        rows = self._rows(
            f"SELECT {cols} FROM jobs {where} ORDER BY updated_at DESC, seq DESC "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, int(total_row[0]) if total_row else 0

    @staticmethod
    def _filters(statuses: list[str] | None, query: str | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if statuses:
            clauses.append(f"status IN ({','.join('?' for _ in statuses)})")
            params += statuses
        if query:
            clauses.append(
                "(job_id ILIKE ? OR source ILIKE ? OR original_name ILIKE ? OR brand ILIKE ? "
                "OR category_name ILIKE ? OR industry_name ILIKE ?)"
            )
            params += [f"%{query}%"] * 6
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def counts(self) -> dict[str, int]:
        got = self.con.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall()
        return {str(status): int(n) for status, n in got}

    def events(self, job_id: str) -> list[Row]:
        return self._rows(
            "SELECT ts, stage, message FROM events WHERE job_id = ? ORDER BY ts, rowid", [job_id]
        )

    def final_older_than(self, cutoff: float) -> list[str]:
        marks = ",".join("?" for _ in FINAL_STATUSES)
        got = self.con.execute(
            f"SELECT job_id FROM jobs WHERE status IN ({marks}) AND coalesce(finished_at, "
            "updated_at) < ?",
            [*FINAL_STATUSES, cutoff],
        ).fetchall()
        return [r[0] for r in got]

    def all_ids_and_sources(self) -> list[tuple[str, str | None, str | None]]:
        got = self.con.execute("SELECT job_id, source_kind, source FROM jobs").fetchall()
        return [(r[0], r[1], r[2]) for r in got]

    def analytics(self) -> Row:
        def q(sql: str) -> list[Row]:
            return self._rows(sql)

        durations = q(
            "SELECT count(*) AS n, quantile_cont(finished_at - started_at, 0.5) AS p50, "
            "quantile_cont(finished_at - started_at, 0.95) AS p95, "
            "avg(finished_at - started_at) AS mean FROM jobs "
            "WHERE status = 'completed' AND started_at IS NOT NULL"
        )[0]
        return {
            "counts": self.counts(),
            "durations": durations,
            "top_brands": q(
                "SELECT brand AS name, count(*) AS count FROM jobs WHERE status='completed' "
                "AND coalesce(brand,'') <> '' GROUP BY brand ORDER BY count DESC, name LIMIT 10"
            ),
            "top_categories": q(
                "SELECT category_name AS name, industry_name AS industry, count(*) AS count "
                "FROM jobs WHERE status='completed' AND category_name IS NOT NULL "
                "GROUP BY ALL ORDER BY count DESC, name LIMIT 10"
            ),
            "top_industries": q(
                "SELECT industry_name AS name, count(*) AS count FROM jobs "
                "WHERE status='completed' AND industry_name IS NOT NULL "
                "GROUP BY ALL ORDER BY count DESC, name LIMIT 10"
            ),
            "failures": q(
                "SELECT coalesce(error, 'unknown') AS reason, count(*) AS count FROM jobs "
                "WHERE status='failed' GROUP BY ALL ORDER BY count DESC LIMIT 10"
            ),
            "per_hour": q(
                "SELECT CAST(floor(created_at / 3600) * 3600 AS BIGINT) AS hour, count(*) AS "
                "submitted, count(*) FILTER (WHERE status='completed') AS completed, "
                "count(*) FILTER (WHERE status='failed') AS failed FROM jobs "
                "GROUP BY ALL ORDER BY hour DESC LIMIT 168"
            ),
        }

    def get_meta(self, key: str) -> str | None:
        got = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return got[0] if got else None

    def export(self, path: Path, fmt: str) -> int:
        """Write completed/failed/active jobs with their results to CSV or Parquet."""
        cols = (
            "job_id, node, status, stage, error, mode, source_kind, source, original_name, "
            "to_timestamp(created_at) AS created_at, to_timestamp(updated_at) AS updated_at, "
            "finished_at - started_at AS duration_seconds, brand, category, category_id, "
            "category_name, parent_category_id, parent_category, industry_id, industry_name, "
            "confidence, reasoning"
        )
        option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
        target = str(path).replace("'", "''")
        self.con.execute(f"COPY (SELECT {cols} FROM jobs ORDER BY seq) TO '{target}' {option}")
        got = self.con.execute("SELECT count(*) FROM jobs").fetchone()
        return int(got[0]) if got else 0

    # ---- the one write path ------------------------------------------------------------------
    def commit(
        self,
        inserts: list[Row],
        updates: list[Row],
        deletes: list[str],
        events: list[tuple[str, float, str, str]],
        meta: dict[str, str] | None = None,
        sql: list[tuple[str, list[Any]]] | None = None,
    ) -> None:
        """Apply one group of changes in a single transaction.
        `sql`: statements on the store's other tables, made durable with the job changes.

        DuckDB is columnar: one statement over an Arrow batch costs about what one single-row
        statement costs, so batches go through Arrow and lone rows through parameters."""
        con = self.con
        con.begin()
        try:
            if deletes:
                con.execute("DELETE FROM jobs WHERE job_id IN (SELECT unnest(?))", [deletes])
                con.execute("DELETE FROM events WHERE job_id IN (SELECT unnest(?))", [deletes])
            if inserts:
                con.from_arrow(_job_table(inserts)).insert_into("jobs")
            if len(updates) <= 2:
                for row in updates:
                    con.execute(_UPDATE_ONE, [row.get(c) for c in _UPDATABLE] + [row["job_id"]])
            else:
                con.register("_updates", _job_table(updates))
                con.execute(_UPDATE_MANY)
                con.unregister("_updates")
            if 0 < len(events) <= 4:
                con.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", [list(e) for e in events])
            elif events:
                # Explicit types: inferring them costs pyarrow a module import per call.
                cols = zip(*events, strict=True)
                con.from_arrow(pa.Table.from_arrays(
                    [pa.array(c, type=f.type) for c, f in zip(cols, EVENT_ARROW_SCHEMA,
                                                              strict=True)],
                    schema=EVENT_ARROW_SCHEMA)).insert_into("events")
            for key, value in (meta or {}).items():
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
            for statement, params in sql or ():
                con.execute(statement, params)
            con.commit()
        except Exception:
            con.rollback()
            raise

    def trim_events(self) -> None:
        self.con.execute(
            "DELETE FROM events WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() "
            "OVER (PARTITION BY job_id ORDER BY ts DESC, rowid DESC) AS rn FROM events) "
            "WHERE rn > ?)",
            [MAX_EVENTS_PER_JOB],
        )


def dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, default=str)


def loads(value: str | None) -> Any:
    return None if value is None or value == "" else json.loads(value)


def now() -> float:
    return time.time()


_UPDATABLE = [f for f in JOB_FIELDS if f != "job_id"]
_UPDATE_ONE = (
    "UPDATE jobs SET " + ", ".join(f"{c} = ?" for c in _UPDATABLE) + " WHERE job_id = ?"
)
_UPDATE_MANY = (
    "UPDATE jobs SET " + ", ".join(f"{c} = u.{c}" for c in _UPDATABLE)
    + " FROM _updates u WHERE jobs.job_id = u.job_id"
)


def _job_table(rows: list[Row]) -> pa.Table:
    return pa.Table.from_pylist([{k: row.get(k) for k in JOB_FIELDS} for row in rows],
                                schema=JOB_ARROW_SCHEMA)


class JobReader:
    """One job by id, on its own cursor: for the store's read thread (see store.actor.peek)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def get(self, job_id: str) -> Row | None:
        rows = _rows(self.con, "SELECT * FROM jobs WHERE job_id = ?", [job_id])
        return rows[0] if rows else None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
          ) -> list[Row]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, rec, strict=True)) for rec in cur.fetchall()]
