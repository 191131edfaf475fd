"""Exports of every live node's jobs, merged into one CSV or Parquet file (DuckDB writes each)."""

from __future__ import annotations

import asyncio
import io

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adclf.services.jobs import JobService


async def export_cluster(jobs: JobService, fmt: str) -> bytes:
    names = [n.name for n in jobs.registry.nodes() if n.alive]
    parts = await asyncio.gather(*(jobs.store(name).export_bytes(fmt) for name in names))
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
