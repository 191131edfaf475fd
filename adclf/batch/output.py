"""A batch's output: rows are checkpointed as small Parquet parts while the run goes on (each
written to a temporary name, then renamed, so a killed driver leaves only whole parts), and merged
at the end into `<out>.parquet` and `<out>.csv`, one row per input.

Resume: a re-run reads the inputs already in the output (merged file and parts) and skips those
that completed; failed inputs are tried again and their new row replaces the old one. The merge
streams part by part, so its memory does not grow with the number of inputs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from adclf.batch import rows


class Results:
    def __init__(self, out: Path) -> None:
        out = Path(out)
        if out.suffix.lower() not in (".parquet", ".csv"):
            out = out.with_name(out.name + ".parquet")
        self.parquet = out.with_suffix(".parquet")
        self.csv = out.with_suffix(".csv")
        self.parts = out.with_name(f".{out.stem}.parts")
        self._next = 0

    # ---- what is there -------------------------------------------------------------------------
    def statuses(self) -> dict[str, str]:
        """input -> status of every row already written (a part's row wins over the merged
        file's: it is newer)."""
        seen: dict[str, str] = {}
        for path in ([self.parquet] if self.parquet.exists() else []) + self._part_files():
            t = pq.read_table(path, columns=["input", "status"])
            seen.update(zip(t.column("input").to_pylist(), t.column("status").to_pylist(),
                            strict=True))
        return seen

    def _part_files(self) -> list[Path]:
        if not self.parts.is_dir():
            return []
        return sorted(self.parts.glob("part-*.parquet"))

    # ---- writing -------------------------------------------------------------------------------
    def add(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        self.parts.mkdir(parents=True, exist_ok=True)
        if not self._next:
            self._next = 1 + max((int(p.stem.split("-")[1]) for p in self._part_files()),
                                 default=0)
        final = self.parts / f"part-{self._next:06d}.parquet"
        self._next += 1
        tmp = final.with_suffix(".tmp")
        pq.write_table(table.cast(rows.SCHEMA), tmp)
        os.replace(tmp, final)

    def merge(self) -> int:
        """Fold the parts into the Parquet and CSV outputs; returns the number of rows."""
        parts = self._part_files()
        if not parts and self.parquet.exists():
            if not self.csv.exists():
                self._write(self._merged_batches([]))
            return int(pq.ParquetFile(self.parquet).metadata.num_rows)
        count = self._write(self._merged_batches(parts))
        shutil.rmtree(self.parts, ignore_errors=True)
        return count

    def _merged_batches(self, parts: list[Path]) -> Iterator[pa.Table]:
        """The merged file's rows, then each part's, in order, keeping an input's newest row."""
        inputs = [pq.read_table(p, columns=["input"]).column("input").to_pylist() for p in parts]
        later: list[set[str]] = []
        acc: set[str] = set()
        for names in reversed(inputs):
            later.append(set(acc))
            acc.update(names)
        later.reverse()  # later[i]: inputs written by parts after part i
        if self.parquet.exists():
            old = pq.ParquetFile(self.parquet)
            for i in range(old.num_row_groups):
                yield _without(old.read_row_group(i).cast(rows.SCHEMA), acc)
        for path, newer in zip(parts, later, strict=True):
            yield _without(pq.read_table(path).cast(rows.SCHEMA), newer)

    def _write(self, tables: Iterator[pa.Table]) -> int:
        self.parquet.parent.mkdir(parents=True, exist_ok=True)
        tmp_pq = self.parquet.with_name(f".{self.parquet.name}.tmp")
        tmp_csv = self.csv.with_name(f".{self.csv.name}.tmp")
        count = 0
        with pq.ParquetWriter(tmp_pq, rows.SCHEMA) as pw, \
                pacsv.CSVWriter(tmp_csv, rows.SCHEMA) as cw:
            for t in tables:
                if t.num_rows:
                    pw.write_table(t)
                    cw.write_table(t)
                    count += t.num_rows
        os.replace(tmp_pq, self.parquet)
        os.replace(tmp_csv, self.csv)
        return count


def _without(table: pa.Table, inputs: set[str]) -> pa.Table:
    if not inputs:
        return table
    drop = pa.array(sorted(inputs), pa.string())
    return table.filter(pc.invert(pc.is_in(table.column("input"), value_set=drop)))
