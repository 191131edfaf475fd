"""Results of watched videos as files: one JSON per ad and one appended CSV.

- next_to: `<video>.adclf.json` beside each video, `adclf-results.csv` in the watched folder;
- a results folder: `<stem>.<hash prefix>.json` and `adclf-results.csv` there.

The JSON is the job as GET /jobs/{id} shows it, plus `result` (GET /jobs/{id}/result) and
`watch` (the file's path and hash). JSON files are written whole and renamed into place; a CSV
row is one append. A crash between writing and the ledger's note of it can repeat a CSV row on
restart, never lose one."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from adclf.watch.ledger import LedgerEntry

CSV_NAME = "adclf-results.csv"
JSON_SUFFIX = ".adclf.json"
CSV_COLUMNS = ("path", "sha256", "job_id", "status", "brand", "category_name", "industry_name",
               "confidence", "error", "updated_at")


def parse_results(value: str) -> tuple[str, Path | None]:
    """`off`, `next_to` or an absolute folder path -> (mode, folder)."""
    text = value.strip()
    if text.lower() in ("", "off", "none"):
        return "off", None
    if text.lower() in ("next_to", "next-to", "beside"):
        return "next_to", None
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        raise ValueError(f"the results setting must be off, next_to or an absolute folder path, "
                         f"not {value!r}")
    return "folder", folder


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts like a formula; brands and errors come from videos.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def _append_csv(path: Path, row: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    new = not path.exists() or path.stat().st_size == 0
    if new:
        writer.writerow(CSV_COLUMNS)
    writer.writerow(row)
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


class ResultsWriter:
    def __init__(self, mode: str, folder: Path | None = None) -> None:
        if mode not in ("next_to", "folder"):
            raise ValueError(f"unknown results mode {mode!r}")
        if mode == "folder" and folder is None:
            raise ValueError("a results folder is needed")
        self.mode = mode
        self.folder = folder

    def targets(self, entry: LedgerEntry, root: Path) -> tuple[Path, Path]:
        """(json path, csv path) for an entry whose file was found under watched folder `root`."""
        video = Path(entry.path)
        if self.mode == "next_to":
            return video.with_name(video.name + JSON_SUFFIX), root / CSV_NAME
        assert self.folder is not None
        return self.folder / f"{video.stem}.{entry.sha256[:12]}.json", self.folder / CSV_NAME

    def write(self, entry: LedgerEntry, job: dict[str, Any], root: Path) -> list[Path]:
        json_path, csv_path = self.targets(entry, root)
        json_path.parent.mkdir(parents=True, exist_ok=True)
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        doc = {**job, "watch": {"path": entry.path, "sha256": entry.sha256}}
        _write_json(json_path, doc)
        result = job.get("result") or {}
        row = [entry.path, entry.sha256, entry.job_id, job.get("status"),
               job.get("brand") or result.get("brand"),
               job.get("category_name") or result.get("category_name"),
               job.get("industry_name") or result.get("industry_name"),
               job.get("confidence"), job.get("error"), job.get("updated_at")]
        _append_csv(csv_path, [_cell(v) for v in row])
        return [json_path, csv_path]
