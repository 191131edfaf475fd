"""Exports of every live node's jobs, merged into one CSV or Parquet file (DuckDB writes each)."""

from __future__ import annotations

import asyncio
import csv
import io

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adclf.security.redact import redact_url
from adclf.services.stores import Stores


async def export_cluster(stores: Stores, fmt: str) -> bytes:
    names = stores.live_names()
    parts = await asyncio.gather(*(stores.for_node(name).export_bytes(fmt) for name in names))
    return _redacted(_merged(parts, fmt), fmt)


def _redacted(data: bytes, fmt: str) -> bytes:
    """A URL job's `source` may carry credentials (`user:pw@`, `?token=`): exported redacted,
    as the job views show it."""
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(data))
        if "source" not in table.column_names or "source_kind" not in table.column_names:
            return data
        kinds = table.column("source_kind").to_pylist()
        clean = [redact_url(s) if k == "url" and s else s
                 for k, s in zip(kinds, table.column("source").to_pylist(), strict=True)]
        table = table.set_column(table.column_names.index("source"), "source",
                                 pa.array(clean, type=pa.string()))
        out = io.BytesIO()
        pq.write_table(table, out)
        return out.getvalue()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if not rows or "source" not in rows[0] or "source_kind" not in rows[0]:
        return data
    src, kind = rows[0].index("source"), rows[0].index("source_kind")
    for row in rows[1:]:
        if len(row) > max(src, kind) and row[kind] == "url" and row[src]:
            row[src] = redact_url(row[src])
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


def _merged(parts: list[bytes], fmt: str) -> bytes:
    if len(parts) == 1:
        return parts[0]
    if fmt == "parquet":
        tables = [pq.read_table(io.BytesIO(p)) for p in parts]
    else:
        tables = [pacsv.read_csv(io.BytesIO(p)) for p in parts if p.strip()]
    merged = pa.concat_tables(tables, promote_options="permissive")
    out = io.BytesIO()
    if fmt == "parquet":
        pq.write_table(merged, out)
    else:
        pacsv.write_csv(merged, out)
    return out.getvalue()
