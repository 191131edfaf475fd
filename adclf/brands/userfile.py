"""Read a user brand file (`BRANDS_PATH`): CSV or JSONL rows that add brands, override shipped ones
or exclude them, in the spirit of Azure Video Indexer's brand include/exclude lists.

CSV header: name,aliases,domains,logo,category_id,exclude (list fields separated by `|`;
optional columns common_word, kind, slogans). JSONL: one object a line with the same keys (lists
may be JSON arrays or `|`-separated strings). Errors are ValueError naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLUMNS = ("name", "aliases", "domains", "logo", "category_id", "exclude", "common_word", "kind",
           "slogans")
_TRUE = {"1", "true", "yes", "y", "oui", "x"}
_FALSE = {"", "0", "false", "no", "n", "non"}


@dataclass
class UserRow:
    """Only the fields the row gave: None means "keep the shipped value"."""

    name: str
    line: int
    aliases: tuple[str, ...] | None = None
    domains: tuple[str, ...] | None = None
    logo: str | None = None
    category_id: str | None = None
    exclude: bool | None = None
    common_word: bool | None = None
    kind: str | None = None
    slogans: tuple[str, ...] | None = None


def read_user_file(path: Path, category_ids: Collection[str]) -> list[UserRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"brand file {path}: cannot read: {exc}") from None
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        raw_rows = _jsonl(path, text)
    else:
        raw_rows = _csv(path, text)
    rows = [_row(path, line, raw, category_ids) for line, raw in raw_rows]
    if not rows:
        raise ValueError(f"brand file {path}: no brand rows")
    return rows


def _jsonl(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"brand file {path} line {line}: not JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise ValueError(f"brand file {path} line {line}: expected a JSON object")
        out.append((line, obj))
    return out


def _csv(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    out = []
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            if "name" not in header:
                raise ValueError(f"brand file {path} line {line}: header lacks a 'name' column "
                                 f"(expected {','.join(COLUMNS[:6])})")
            continue
        if len(row) > len(header):
            raise ValueError(f"brand file {path} line {line}: {len(row)} fields, header has "
                             f"{len(header)} (quote fields that contain commas)")
        out.append((line, dict(zip(header, (c.strip() for c in row), strict=False))))
    return out


def _list(path: Path, line: int, field: str, value: Any) -> tuple[str, ...] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        items = value.split("|")
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = value
    else:
        raise ValueError(f"brand file {path} line {line}: {field} must be a list of strings "
                         "or a '|'-separated string")
    return tuple(i.strip() for i in items if i.strip())


def _bool(path: Path, line: int, field: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise ValueError(f"brand file {path} line {line}: {field} must be true or false, "
                     f"got {value!r}")


def _row(path: Path, line: int, raw: dict[str, Any], ids: Collection[str]) -> UserRow:
    unknown = sorted(set(raw) - set(COLUMNS))
    if unknown:
        raise ValueError(f"brand file {path} line {line}: unknown field(s) {', '.join(unknown)}; "
                         f"known: {', '.join(COLUMNS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"brand file {path} line {line}: missing brand name")
    category = raw.get("category_id")
    if category is not None and not isinstance(category, str | int):
        raise ValueError(f"brand file {path} line {line}: category_id must be a string")
    category = str(category).strip() if category not in (None, "") else None
    if category is not None and category not in ids:
        raise ValueError(f"brand file {path} line {line}: unknown category id {category!r} "
                         "(not in the IAB Ad Product 2.0 taxonomy)")
    kind = raw.get("kind") or None
    if kind not in (None, "brand", "tech"):
        raise ValueError(f"brand file {path} line {line}: kind must be 'brand' or 'tech'")
    logo = raw.get("logo")
    if logo is not None and not isinstance(logo, str):
        raise ValueError(f"brand file {path} line {line}: logo must be a string")
    return UserRow(
        name=" ".join(name.split()),
        line=line,
        aliases=_list(path, line, "aliases", raw.get("aliases")),
        domains=_list(path, line, "domains", raw.get("domains")),
        slogans=_list(path, line, "slogans", raw.get("slogans")),
        logo=logo.strip() or None if isinstance(logo, str) else None,
        category_id=category,
        exclude=_bool(path, line, "exclude", raw.get("exclude")),
        common_word=_bool(path, line, "common_word", raw.get("common_word")),
        kind=kind,
    )
