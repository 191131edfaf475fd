"""Real jobs through the real Serve app: submit over HTTP, watch, read every view."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import LiveServer
from videos import simple_ad


def test_filepath_job_completes_with_frames_and_brand(live_server: LiveServer,
                                                      sample_ad: Path) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-filepath", json={"mode": "pipeline", "file_path": str(sample_ad)})
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        assert job_id.startswith("node-a-") and r.json()["status"] == "queued"
        job = live_server.wait_job(job_id)
        assert job["status"] == "completed", job
        assert job["brand"] and job["brand"].lower() == "nike"
        assert job["progress"] == 100 and job["duration_seconds"] > 0
        assert job["industry_name"] and job["category_id"]
        result = c.get(f"/jobs/{job_id}/result").json()
        assert result["reasoning"] and 0 <= result["confidence"] <= 1
        assert result["result"][0]["Brand"].lower() == "nike"  # the original's row beside ours
        art = c.get(f"/jobs/{job_id}/artifacts").json()
        assert art["frames"], art
        assert art["artifacts"]["latest_frames"] and "nike" in \
            art["artifacts"]["ocr_text"]["text"].lower()
        img = c.get(art["frames"][0]["url"].replace(live_server.url, ""))
        assert img.status_code == 200 and img.content[:2] == b"\xff\xd8"  # a real JPEG
        assert "nike" in art["ocr_text"].lower()
        expl = c.get(f"/jobs/{job_id}/explanation").json()
        assert expl["attempts"] and expl["attempts"][0]["type"] == "initial"
        assert expl["explanation"]["final"]["brand"].lower() == "nike"
        events = c.get(f"/jobs/{job_id}/events").json()
        stages = [e["stage"] for e in events["entries"]]
        assert len(events["events"]) == len(events["entries"])
        for stage in ("queued", "claim", "frame_extract", "ocr", "classify", "completed"):
            assert stage in stages, stages
        video = c.get(f"/jobs/{job_id}/video", headers={"Range": "bytes=0-99"})
        assert video.status_code == 206 and len(video.content) == 100
        assert video.headers["content-range"].endswith(f"/{sample_ad.stat().st_size}")


def test_stream_sends_updates_with_moving_progress_then_complete(
        live_server: LiveServer, tmp_path: Path) -> None:
    ad = simple_ad(live_server.roots / "stream-ad.mp4", brand="ADIDAS", domain="adidas.com",
                   seconds=8)
    with live_server.client() as c:
        job_id = c.post("/jobs/by-filepath", json={"file_path": str(ad)}).json()["job_id"]
    events: list[tuple[str, dict]] = []
    with httpx.stream("GET", f"{live_server.url}/jobs/{job_id}/stream", timeout=180) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                events.append((name, json.loads(line[6:])))
                if name == "complete":
                    break
    names = [n for n, _ in events]
    assert names[0] == "update" and names[-1] == "complete"
    progress = [d["progress"] for n, d in events if n == "update"]
    assert any(0 < p < 100 for p in progress), progress  # the bar moves during the job
    assert progress == sorted(progress)
    assert events[-1][1]["status"] == "completed"


def test_folder_submission_makes_one_job_per_video(live_server: LiveServer) -> None:
    folder = live_server.roots / "batch"
    folder.mkdir()
    for i, brand in enumerate(["PUMA", "REEBOK"]):
        simple_ad(folder / f"ad{i}.mp4", brand=brand, domain=f"{brand.lower()}.com", seconds=4)
    (folder / "notes.txt").write_text("not a video")
    with live_server.client() as c:
        r = c.post("/jobs/by-folder", json={"folder_path": str(folder)})
        assert r.status_code == 200, r.text
        jobs = r.json()
        assert len(jobs) == 2
    brands = sorted((live_server.wait_job(j["job_id"])["brand"] or "").upper() for j in jobs)
    assert brands == ["PUMA", "REEBOK"]


class _VideoHandler(http.server.BaseHTTPRequestHandler):
    payload = b""

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/ad.mp4":
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(self.payload)))
            self.end_headers()
            self.wfile.write(self.payload)
        else:
            body = b"<html><body>not a video</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def video_server(tmp_path: Path) -> Iterator[str]:
    ad = simple_ad(tmp_path / "url-ad.mp4", brand="LEGO", domain="lego.com", seconds=4)
    _VideoHandler.payload = ad.read_bytes()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _VideoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_jobs_download_and_classify_or_fail_clearly(live_server: LiveServer,
                                                        video_server: str) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{video_server}/ad.mp4",
                                                   f"{video_server}/page.html"]})
        assert r.status_code == 200, r.text
        good, html = (j["job_id"] for j in r.json())
    done = live_server.wait_job(good)
    assert done["status"] == "completed" and (done["brand"] or "").upper() == "LEGO"
    with live_server.client() as c:
        assert c.get(f"/jobs/{good}/video").content == _VideoHandler.payload
    failed = live_server.wait_job(html)
    assert failed["status"] == "failed"
    assert "html" in failed["error"].lower() and "not a video" in failed["error"].lower()


def test_upload_multipart_runs_the_job(live_server: LiveServer, tmp_path: Path) -> None:
    ad = simple_ad(tmp_path / "upload-ad.mp4", brand="IKEA", domain="ikea.com", seconds=4)
    with live_server.client() as c, ad.open("rb") as fh:
        r = c.post("/jobs/upload", files={"file": ("my ad.mp4", fh, "video/mp4")},
                   data={"mode": "pipeline", "settings": json.dumps({"scan_mode": "Tail Only"})})
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        job = live_server.wait_job(job_id)
        assert job["status"] == "completed" and (job["brand"] or "").upper() == "IKEA"
        assert job["original_name"] == "my ad.mp4"
        assert c.get(f"/jobs/{job_id}/video").content == ad.read_bytes()


def test_delete_and_bulk_delete(live_server: LiveServer, sample_ad: Path) -> None:
    with live_server.client() as c:
        ids = [c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}).json()["job_id"]
               for _ in range(3)]
        assert c.delete(f"/jobs/{ids[0]}").json() == {"job_id": ids[0], "deleted": True}
        assert c.get(f"/jobs/{ids[0]}").status_code == 404
        assert c.delete(f"/jobs/{ids[0]}").status_code == 404
        missing = "node-a-00000000-0000-4000-8000-000000000000"
        got = c.post("/jobs/bulk-delete", json={"job_ids": [ids[1], ids[2], missing]}).json()
        assert sorted(got["deleted"]) == sorted(ids[1:]) and got["not_found"] == [missing]
        for job_id in ids:
            assert c.get(f"/jobs/{job_id}").status_code == 404
        assert c.post("/jobs/bulk-delete", json={"job_ids": ["x"] * 501}).status_code == 422


def test_deleting_a_running_job_aborts_it(live_server: LiveServer) -> None:
    ad = simple_ad(live_server.roots / "long.mp4", brand="SONY", domain="sony.com", seconds=20)
    with live_server.client() as c:
        job_id = c.post("/jobs/by-filepath", json={
            "file_path": str(ad), "settings": {"scan_mode": "Full Video"}}).json()["job_id"]
        live_server.wait_job(job_id, until=("processing",), timeout=120)
        assert c.delete(f"/jobs/{job_id}").status_code == 200
        time.sleep(3)
        assert c.get(f"/jobs/{job_id}").status_code == 404
        assert not (live_server.data_dir / "artifacts" / job_id / "explanation.json").exists()
