"""What a batch classifies: every video of a folder (recursive), the lines of a manifest (text or
CSV of paths and URLs), the matches of a glob, or an explicit list.

Problems with the SOURCE itself (missing folder, folder outside ALLOWED_FOLDER_ROOTS) are errors
of the request. Problems with ONE input (a path outside the roots, a malformed URL) are not: the
input becomes a failed row with its reason, and the run goes on."""

from __future__ import annotations

import csv
import glob
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from adclf.config import Settings
from adclf.domain import VIDEO_EXTENSIONS
from adclf.errors import AdclfError, BadInput, TooLarge
from adclf.security.paths import is_within, resolve_allowed_path

Kind = Literal["file", "url"]
MANIFEST_SUFFIXES = (".txt", ".csv", ".lst", ".list", ".tsv")
MANIFEST_COLUMNS = ("input", "path", "url", "source", "file", "video")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BatchInput:
    """One input: `value` is the absolute path or the URL as given (the output's key);
    `error` is set when the input is refused before reading (it becomes a failed row)."""

    value: str
    kind: Kind
    error: str | None = None


def is_glob(source: str) -> bool:
    return any(ch in source for ch in "*?[")


def list_inputs(source: str, settings: Settings, *, restrict: bool,
                limit: int | None = None) -> list[BatchInput]:
    """The inputs SOURCE names, in a stable order. `restrict` (the API) confines every server path
    to ALLOWED_FOLDER_ROOTS and checks URLs against the URL policy; the command-line driver runs
    with the operator's own rights and checks URLs only."""
    source = source.strip()
    if is_glob(source):
        found = _glob(source, settings, restrict)
    else:
        path = _source_path(source, settings, restrict)
        if path.is_dir():
            found = [BatchInput(str(p), "file") for p in sorted(path.rglob("*"))
                     if _is_video(p)]
        else:
            found = read_manifest(path, settings, restrict)
    if not found:
        raise BadInput(f"no inputs in {source[:200]!r} (videos: {', '.join(VIDEO_EXTENSIONS)})")
    if limit is not None and len(found) > limit:
        raise TooLarge(f"{len(found)} inputs; the limit of one batch is {limit}")
    return _unique(found)


def inputs_from_list(values: list[str], settings: Settings, *, restrict: bool,
                     base: Path | None = None) -> list[BatchInput]:
    return _unique([classify_entry(v, settings, restrict, base) for v in values if v.strip()])


def _source_path(source: str, settings: Settings, restrict: bool) -> Path:
    if restrict:
        return resolve_allowed_path(source, settings, want="dir") if _looks_dir(source) \
            else _allowed_any(source, settings)
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise BadInput(f"no such folder, manifest or file: {source[:200]!r}")
    return path


def _looks_dir(source: str) -> bool:
    return source.endswith("/")


def _allowed_any(source: str, settings: Settings) -> Path:
    try:
        return resolve_allowed_path(source, settings, want="dir")
    except BadInput:  # a file where a folder was expected: a manifest
        return resolve_allowed_path(source, settings, want="file")


def _glob(pattern: str, settings: Settings, restrict: bool) -> list[BatchInput]:
    if not pattern.startswith("/"):
        raise BadInput(f"a glob must be an absolute pattern: {pattern[:200]!r}")
    if restrict:
        # The folder before the first wildcard must itself be allowed, so a pattern cannot
        # list anything outside the roots (each match is checked again below).
        static = pattern[: min(pattern.index(c) for c in "*?[" if c in pattern)]
        resolve_allowed_path(os.path.dirname(static) or "/", settings, want="dir")
    matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
    out = []
    for p in matches:
        if not _is_video(p):
            continue
        if restrict and not _in_roots(p, settings):
            continue
        out.append(BatchInput(str(p.resolve()), "file"))
    return out


def _is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_EXTENSIONS and not path.name.startswith(".") \
        and path.is_file()


def _in_roots(path: Path, settings: Settings) -> bool:
    return any(is_within(path, root) for root in settings.ALLOWED_FOLDER_ROOTS)


def read_manifest(path: Path, settings: Settings, restrict: bool) -> list[BatchInput]:
    """A text manifest (one path or URL per line, `#` comments) or a CSV whose header names an
    input column (input, path, url, source, file or video; else the first column)."""
    if path.suffix.lower() in VIDEO_EXTENSIONS:
        return [classify_entry(str(path), settings, restrict, None)]
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise TooLarge(f"the manifest is larger than {MAX_MANIFEST_BYTES // 2**20} MB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadInput(f"the manifest is not UTF-8 text: {path.name}") from err
    values = _csv_values(text) if path.suffix.lower() in (".csv", ".tsv") else [
        line.strip() for line in text.splitlines()]
    values = [v for v in values if v and not v.startswith("#")]
    return [classify_entry(v, settings, restrict, path.parent) for v in values]


def _csv_values(text: str) -> list[str]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:  # one column (or nothing to tell by): plain CSV
        dialect = "excel"
    rows = list(csv.reader(io.StringIO(text), dialect=dialect))
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    column = next((header.index(c) for c in MANIFEST_COLUMNS if c in header), None)
    body = rows[1:] if column is not None else rows
    return [r[column or 0].strip() for r in body if len(r) > (column or 0)]


def classify_entry(value: str, settings: Settings, restrict: bool,
                   base: Path | None) -> BatchInput:
    """One manifest entry as an input; a refused entry carries its reason."""
    value = value.strip()
    if value.lower().startswith(("http://", "https://")) or "://" in value:
        from adclf.net.urls import validate_url

        try:
            return BatchInput(validate_url(value, settings), "url")
        except AdclfError as err:
            return BatchInput(value, "url", str(err))
    path = Path(value) if value.startswith("/") or base is None else base / value
    path = Path(os.path.normpath(path))
    if restrict:
        # outside the roots, missing, not a file: refused with the path rules' own reason
        # (containment is decided before existence, so nothing outside the roots is probed)
        try:
            resolve_allowed_path(str(path), settings, want="file")
        except AdclfError as err:
            return BatchInput(str(path), "file", str(err))
    return BatchInput(str(path), "file")


def _unique(items: list[BatchInput]) -> list[BatchInput]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.value not in seen:
            seen.add(item.value)
            out.append(item)
    return out
