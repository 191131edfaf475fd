"""The CLI's pure parts: error details, labels, option parsing, the streamed multipart body."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import typer
from python_multipart.multipart import MultipartParser

from adclf.cli.client import api_detail, normalize_server
from adclf.cli.options import parse_scan_mode
from adclf.cli.render import category_path
from adclf.cli.upload import _body, multipart_parts


def test_api_detail_reads_strings_validation_lists_and_plain_text() -> None:
    assert api_detail(httpx.Response(404, json={"detail": "job x not found"})) == \
        "job x not found"
    lst = {"detail": [{"loc": ["body", "urls"], "msg": "Field required"},
                      {"loc": ["query", "limit"], "msg": "too big"}]}
    assert api_detail(httpx.Response(422, json=lst)) == "urls: Field required; query.limit: too big"
    assert api_detail(httpx.Response(502, text="Bad gateway from proxy")) == \
        "Bad gateway from proxy"


def test_normalize_server() -> None:
    assert normalize_server("127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert normalize_server("https://ads.example/api/") == "https://ads.example/api"


def test_scan_mode_accepts_api_and_shell_spellings() -> None:
    assert parse_scan_mode("tail") == "Tail Only"
    assert parse_scan_mode("Full Video") == "Full Video"
    assert parse_scan_mode("full-video") == "Full Video"
    assert parse_scan_mode("EXPRESS") == "Express"
    assert parse_scan_mode(None) is None
    with pytest.raises(typer.BadParameter):
        parse_scan_mode("middle")


def test_category_path_skips_repeated_levels() -> None:
    job = {"industry_name": "Retail", "parent_category": "Retail", "category_name": "Shoes"}
    assert category_path(job) == "Retail › Shoes"
    assert category_path({"category": "Auto"}) == "Auto"
    assert category_path({}) == ""


def test_streamed_multipart_body_parses_with_the_servers_parser(tmp_path: Path) -> None:
    video = tmp_path / 'odd "name".mp4'
    payload = bytes(range(256)) * 3000  # crosses several read chunks, includes CR/LF bytes
    video.write_bytes(payload)
    settings = {"scan_mode": "Express", "model_name": "qwen3-vl:8b"}
    head, tail = multipart_parts(video, {"mode": "agent", "settings": json.dumps(settings)},
                                 "b0undary")
    seen: list[int] = []
    body = b"".join(_body(video, head, tail, seen.append))
    assert sum(seen) == len(payload)
    parts: dict[str, bytearray] = {}
    current: list[str] = []
    header = bytearray()

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header.extend(data[start:end])

    def on_headers_finished() -> None:
        name = header.decode().split('name="')[1].split('"')[0]
        current.append(name)
        parts[name] = bytearray()
        header.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[current[-1]] += data[start:end]

    def on_header_end() -> None:
        header.extend(b"\n")

    parser = MultipartParser(b"b0undary", callbacks={
        "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished, "on_part_data": on_part_data})
    parser.write(body)
    parser.finalize()
    assert parts["mode"] == b"agent"
    assert json.loads(bytes(parts["settings"])) == settings
    assert bytes(parts["file"]) == payload
