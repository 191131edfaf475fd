"""A replay of the original service's parity test client against the live adclf service.

Its client logic (read in its public tests, re-written here): submit each fixture (a local file
as a multipart upload to `/jobs/upload?internal=1` with the settings as form fields and
booleans as "1"/"0"; others as JSON), poll `GET /jobs/{id}` until final, read
`GET /jobs/{id}/result` → `result[0]` with `Brand`/`brand`, `Category`/`category`,
`Category ID`/`category_id`, `Confidence`/`confidence`, `Reasoning`/`reasoning`, and compare with
the golden: brand and category exactly (case-folded), category id exactly, confidence within
0.25, reasoning non-empty when the golden saw text. Goldens: scripts/capture_goldens.py."""

from __future__ import annotations

import json
import shutil
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import LiveServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import capture_goldens  # noqa: E402

CONFIDENCE_TOLERANCE = 0.25
FIXTURES = capture_goldens.load_fixtures()


@pytest.fixture(scope="module")
def videos(live_server: LiveServer) -> dict[str, Path]:
    folder = live_server.roots / "parity"
    folder.mkdir(exist_ok=True)
    return capture_goldens.make_videos(FIXTURES, folder)


@pytest.fixture(scope="module")
def video_host(videos: dict[str, Path]) -> Iterator[str]:
    folder = next(iter(videos.values())).parent
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _settings(fixture: dict[str, Any]) -> dict[str, Any]:
    # Goldens come from the embedded default; every other setting is the original's, verbatim.
    return {**fixture["settings"], **capture_goldens.EMBEDDED}


def submit(c: httpx.Client, fixture: dict[str, Any], video: Path, host: str) -> str:
    s = _settings(fixture)
    if fixture["source_type"] == "local":
        form = {"mode": "pipeline", "categories": s["categories"], "provider": s["provider"],
                "ocr_engine": s["ocr_engine"], "ocr_mode": s["ocr_mode"],
                "scan_mode": s["scan_mode"], "override": "1" if s["override"] else "0",
                "enable_search": "1" if s["enable_search"] else "0",
                "enable_vision": "1" if s["enable_vision"] else "0",
                "context_size": str(s["context_size"])}
        with video.open("rb") as fh:
            r = c.post("/jobs/upload?internal=1", files={"file": (video.name, fh, "video/mp4")},
                       data=form)
        r.raise_for_status()
        return str(r.json()["job_id"])
    if fixture["source_type"] == "filepath":
        r = c.post("/jobs/by-filepath", json={"mode": "pipeline", "file_path": str(video),
                                              "settings": s})
        r.raise_for_status()
        return str(r.json()["job_id"])
    r = c.post("/jobs/by-urls", json={"mode": "pipeline", "urls": [f"{host}/{video.name}"],
                                      "settings": s})
    r.raise_for_status()
    return str(r.json()[0]["job_id"])


def read_result(c: httpx.Client, job_id: str) -> dict[str, Any] | None:
    r = c.get(f"/jobs/{job_id}/result")
    assert r.status_code == 200, r.text
    raw = r.json().get("result")
    if raw is None:
        return None
    row = raw[0] if isinstance(raw, list) else raw
    return {"brand": row.get("Brand") or row.get("brand", "Unknown"),
            "category": row.get("Category") or row.get("category", "Unknown"),
            "category_id": row.get("Category ID") or row.get("category_id", ""),
            "confidence": float(row.get("Confidence") or row.get("confidence") or 0.0),
            "reasoning": row.get("Reasoning") or row.get("reasoning", "")}


def _norm(text: str) -> str:
    return (text or "").strip().lower()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f["id"] for f in FIXTURES])
def test_parity_with_golden(fixture: dict[str, Any], live_server: LiveServer,
                            videos: dict[str, Path], video_host: str) -> None:
    golden = json.loads((capture_goldens.GOLDEN_DIR / f"{fixture['id']}.json").read_text())
    with live_server.client() as c:
        assert c.get("/health").json()["status"] == "ok"
        job_id = submit(c, fixture, videos[fixture["id"]], video_host)
        job = live_server.wait_job(job_id)
        assert job["status"] == "completed", job.get("error")
        result = read_result(c, job_id)
    assert result is not None
    want = golden["result"]
    assert _norm(result["brand"]) == _norm(want["brand"])
    assert _norm(result["category"]) == _norm(want["category"])
    assert _norm(result["category_id"]) == _norm(want["category_id"])
    assert abs(result["confidence"] - float(want["confidence"])) <= CONFIDENCE_TOLERANCE
    assert {"brand", "category", "confidence", "reasoning"} <= set(result)
    if golden["ocr_has_text"]:
        assert result["reasoning"]


def test_the_job_labels_are_the_answers_category() -> None:
    # The goldens themselves: each answer's category is one of the job's own labels.
    for fixture in FIXTURES:
        golden = json.loads((capture_goldens.GOLDEN_DIR / f"{fixture['id']}.json").read_text())
        labels = [x.strip() for x in fixture["settings"]["categories"].split(",")]
        assert golden["result"]["category"] in labels, fixture["id"]
    assert shutil.which("ffmpeg")
