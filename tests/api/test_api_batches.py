"""POST /batches, GET /batches[/{id}[/results]] on the real Serve app: a folder of real ads and an
HTML file, progress, both result formats, resume by submitting the same batch, refusals."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from batch.batch_support import make_ads, make_bad_inputs
from support import LiveServer


def wait_batch(c: httpx.Client, bid: str, timeout: float = 300.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = c.get(f"/batches/{bid}").json()
        if got["status"] not in ("queued", "running"):
            return dict(got)
        time.sleep(0.5)
    raise AssertionError(f"batch {bid} still running after {timeout:.0f} s: {got}")


@pytest.fixture(scope="module")
def folder(live_server: LiveServer) -> Path:
    folder = live_server.roots / "api-batch"
    make_ads(folder / "ads", 3)
    make_bad_inputs(folder / "bad")  # page.mp4 (HTML) and empty.mp4 are in the folder too
    return folder


def test_a_folder_batch_runs_reports_progress_and_resumes(live_server: LiveServer,
                                                          folder: Path) -> None:
    body = {"source": str(folder), "concurrency": 1}
    with live_server.client() as c:
        started = c.post("/batches", json=body)
        assert started.status_code == 202, started.text
        bid = started.json()["batch_id"]
        assert started.json()["progress"]["total"] == 5
        final = wait_batch(c, bid)
        assert final["status"] == "completed", final
        p = final["progress"]
        assert (p["total"], p["done"], p["failed"], p["remaining"]) == (5, 5, 2, 0)
        assert p["ads_per_minute"] > 0 and sum(p["nodes"].values()) == 5
        assert [b["batch_id"] for b in c.get("/batches").json()].count(bid) == 1

        data = c.get(f"/batches/{bid}/results", params={"format": "parquet"})
        assert data.status_code == 200
        rows = {Path(r["input"]).name: r for r in pq.read_table(io.BytesIO(data.content))
                .to_pylist()}
        assert len(rows) == 5
        assert "HTML" in rows["page.mp4"]["error"] and rows["page.mp4"]["status"] == "failed"
        assert rows["ad000-nike.mp4"]["brand"] == "Nike"
        csv = pacsv.read_csv(io.BytesIO(c.get(f"/batches/{bid}/results?format=csv").content))
        assert csv.num_rows == 5 and "explanation" in csv.column_names

        # the same batch again: its 3 completed inputs are skipped, the 2 failed ones retried
        again = c.post("/batches", json=body).json()
        assert again["batch_id"] == bid and again["runs"] == 2
        final = wait_batch(c, bid)
        assert (final["progress"]["skipped"], final["progress"]["done"]) == (3, 2)
        table = pq.read_table(io.BytesIO(c.get(f"/batches/{bid}/results").content))
        assert table.num_rows == 5


def test_refusals(live_server: LiveServer, tmp_path: Path) -> None:
    with live_server.client() as c:
        outside = c.post("/batches", json={"source": str(tmp_path)})
        assert outside.status_code == 403, outside.text
        assert c.post("/batches", json={}).status_code == 400
        assert c.post("/batches", json={"source": "/x", "bogus": 1}).status_code == 422
        missing = c.post("/batches", json={"source": str(live_server.roots / "nope")})
        assert missing.status_code == 404
        assert c.get("/batches/b-0000").status_code == 404
        assert c.get("/batches/b-0000/results").status_code == 404
