"""The output's columns: the API's result fields (a job's `GET /jobs/{id}/result`, which is
`PipelineResult.result_row()`), plus what a batch row needs: the input, its status and reason,
timings, the node that classified it and the explanation as JSON."""

from __future__ import annotations

import json
import time
from typing import Any

import pyarrow as pa

# PipelineResult.result_row()'s keys, in its order (tests/batch/test_rows.py keeps them equal)
RESULT_FIELDS: dict[str, pa.DataType] = {
    "brand": pa.string(), "category": pa.string(), "category_id": pa.string(),
    "category_name": pa.string(), "parent_category_id": pa.string(),
    "parent_category": pa.string(), "industry_id": pa.string(), "industry_name": pa.string(),
    "confidence": pa.float64(), "reasoning": pa.string(), "raw_category": pa.string(),
    "mapper_method": pa.string(), "mapper_score": pa.float64(), "provider": pa.string(),
    "model": pa.string(), "job_label": pa.string(),
}

SCHEMA = pa.schema([
    ("input", pa.string()), ("source_kind", pa.string()), ("status", pa.string()),
    ("error", pa.string()),
    *RESULT_FIELDS.items(),
    ("video_seconds", pa.float64()), ("processing_seconds", pa.float64()),
    ("node", pa.string()), ("finished_at", pa.float64()), ("explanation", pa.string()),
])

# What the read stage hands to the classify stage.
READ_SCHEMA = pa.schema([
    ("input", pa.string()), ("source_kind", pa.string()), ("path", pa.string()),
    ("data", pa.binary()), ("suffix", pa.string()), ("error", pa.string()),
    ("read_seconds", pa.float64()),
])

COMPLETED, FAILED = "completed", "failed"


def completed_row(value: str, kind: str, result: dict[str, Any], explanation: dict[str, Any],
                  video_seconds: float, seconds: float, node: str) -> dict[str, Any]:
    row = _base(value, kind, COMPLETED, None, seconds, node)
    row.update({k: result.get(k) for k in RESULT_FIELDS})
    row["video_seconds"] = video_seconds
    row["explanation"] = json.dumps(explanation, default=str, ensure_ascii=False)
    return row


def failed_row(value: str, kind: str, reason: str, seconds: float,
               node: str | None) -> dict[str, Any]:
    return _base(value, kind, FAILED, reason, seconds, node)


def _base(value: str, kind: str, status: str, error: str | None, seconds: float,
          node: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name in SCHEMA.names}
    row.update(input=value, source_kind=kind, status=status, error=error,
               processing_seconds=round(seconds, 4), node=node, finished_at=time.time())
    return row


def table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)
