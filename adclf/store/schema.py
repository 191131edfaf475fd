"""DuckDB schema of a node's job store. Times are epoch seconds (DOUBLE); JSON is stored as text."""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 2

JOB_COLUMNS: list[tuple[str, str, pa.DataType]] = [
    ("job_id", "VARCHAR PRIMARY KEY", pa.string()),
    ("seq", "BIGINT NOT NULL", pa.int64()),
    ("node", "VARCHAR NOT NULL", pa.string()),
    ("status", "VARCHAR NOT NULL", pa.string()),
    ("stage", "VARCHAR NOT NULL", pa.string()),
    ("stage_detail", "VARCHAR", pa.string()),
    ("progress", "DOUBLE", pa.float64()),
    ("mode", "VARCHAR", pa.string()),
    ("source_kind", "VARCHAR", pa.string()),
    ("source", "VARCHAR", pa.string()),
    ("original_name", "VARCHAR", pa.string()),
    ("settings", "VARCHAR", pa.string()),
    ("error", "VARCHAR", pa.string()),
    ("attempts", "INTEGER", pa.int32()),
    ("worker_id", "VARCHAR", pa.string()),
    ("lease_until", "DOUBLE", pa.float64()),
    ("created_at", "DOUBLE", pa.float64()),
    ("updated_at", "DOUBLE", pa.float64()),
    ("started_at", "DOUBLE", pa.float64()),
    ("finished_at", "DOUBLE", pa.float64()),
    ("brand", "VARCHAR", pa.string()),
    ("category", "VARCHAR", pa.string()),
    ("category_id", "VARCHAR", pa.string()),
    ("category_name", "VARCHAR", pa.string()),
    ("parent_category_id", "VARCHAR", pa.string()),
    ("parent_category", "VARCHAR", pa.string()),
    ("industry_id", "VARCHAR", pa.string()),
    ("industry_name", "VARCHAR", pa.string()),
    ("confidence", "DOUBLE", pa.float64()),
    ("reasoning", "VARCHAR", pa.string()),
    ("result", "VARCHAR", pa.string()),
    ("explanation", "VARCHAR", pa.string()),
    ("artifacts", "VARCHAR", pa.string()),
    # Version 2 (the fair queue): added last, so a migrated file has the columns in this order.
    ("priority", "VARCHAR DEFAULT 'normal'", pa.string()),
    ("batch_id", "VARCHAR", pa.string()),
]

JOB_FIELDS = [name for name, _, _ in JOB_COLUMNS]
JOB_ARROW_SCHEMA = pa.schema([(name, typ) for name, _, typ in JOB_COLUMNS])

EVENT_ARROW_SCHEMA = pa.schema(
    [("job_id", pa.string()), ("ts", pa.float64()), ("stage", pa.string()),
     ("message", pa.string())]
)

DDL = [
    "CREATE TABLE IF NOT EXISTS jobs ("
    + ", ".join(f"{name} {sql}" for name, sql, _ in JOB_COLUMNS)
    + ")",
    "CREATE TABLE IF NOT EXISTS events (job_id VARCHAR NOT NULL, ts DOUBLE NOT NULL, "
    "stage VARCHAR, message VARCHAR)",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
]

# Files made by an older version get the columns it lacked; each statement is a no-op on a file
# that has them. Jobs queued before version 2 are 'normal' and share one batch (batch_id NULL).
MIGRATIONS = [
    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS priority VARCHAR DEFAULT 'normal'",
    "ALTER TABLE jobs ADD COLUMN IF NOT EXISTS batch_id VARCHAR",
]

# Events kept per job, as in the original service.
MAX_EVENTS_PER_JOB = 400
