"""Priorities through the real Serve app and its real workers (WORKERS_PER_NODE=2): an upload
sent behind 500 queued low jobs takes the next free worker slot; a bad priority is a 422."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from support import LiveServer


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    """Every low job holds its worker for a while, then fails (404): the slots stay busy."""

    def do_GET(self) -> None:  # noqa: N802
        time.sleep(1.5)
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_urls() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _claimed_at(c, job_id: str) -> list[float]:  # type: ignore[no-untyped-def]
    entries = c.get(f"/jobs/{job_id}/events").json()["entries"]
    return [_ts(e["ts"]) for e in entries if e["stage"] == "claim"]


def test_an_upload_behind_500_low_jobs_starts_in_the_next_free_slot(
        live_server: LiveServer, sample_ad: Path, slow_urls: str) -> None:
    with live_server.client(timeout=60) as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{slow_urls}/ad-{i}.mp4" for i in range(500)],
                                          "priority": "low"})
        assert r.status_code == 200, r.text
        low = [j["job_id"] for j in r.json()]
        try:
            deadline = time.monotonic() + 300  # the workers may still be warming up
            while c.get("/jobs", params={"status": "processing"}).json() == []:
                assert time.monotonic() < deadline, "no worker took a low job"
                time.sleep(0.2)
            with sample_ad.open("rb") as fh:
                r = c.post("/jobs/upload", files={"file": ("ad.mp4", fh, "video/mp4")},
                           data={"priority": "high"})
            assert r.status_code == 200, r.text
            upload = r.json()["job_id"]
            view = live_server.wait_job(upload, until=("processing", "completed", "failed"))
            assert view["priority"] == "high" and view["batch_id"]
            queued_at = _ts(c.get(f"/jobs/{upload}/events").json()["entries"][0]["ts"])
            (started,) = _claimed_at(c, upload)
            # Every low job that started while the upload was queued would have taken its slot.
            busy = [j["job_id"] for j in c.get("/jobs", params={"limit": 1000}).json()
                    if j["job_id"] in set(low) and j["status"] != "queued"]
            assert 1 <= len(busy) < 20, busy
            overtaking = [j for j in busy if any(queued_at < t < started
                                                 for t in _claimed_at(c, j))]
            assert overtaking == []
            assert c.get(f"/jobs/{low[-1]}").json()["priority"] == "low"
        finally:
            for start in range(0, len(low), 500):
                c.post("/jobs/bulk-delete", json={"job_ids": low[start:start + 500]})


def test_an_invalid_priority_is_a_422_with_a_message(live_server: LiveServer,
                                                     sample_ad: Path) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad), "priority": "urgent"})
        assert r.status_code == 422
        assert "priority" in r.json()["detail"] and "'high', 'normal' or 'low'" in \
            r.json()["detail"]
        with sample_ad.open("rb") as fh:
            r = c.post("/jobs/upload", files={"file": ("ad.mp4", fh, "video/mp4")},
                       data={"priority": "asap"})
        assert r.status_code == 422
        assert r.json()["detail"] == "priority must be one of high, normal, low, not 'asap'"
