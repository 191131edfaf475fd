"""CORS only for CORS_ORIGINS, never `*` with credentials; the per-request URL cap (413) and the
per-node pending-jobs cap (429), on real deployments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from adclf.api.app import create_app
from adclf.config import Settings
from tests.security.conftest import CORS_ORIGIN

if TYPE_CHECKING:
    from tests.security.conftest import CountingServer, ExtraApp, ExtraApps
    from tests.support import LiveServer

EVIL_ORIGINS = ["http://evil.example", "null", CORS_ORIGIN + ".evil.example",
                CORS_ORIGIN.replace("http://", "https://"), CORS_ORIGIN.rsplit(":", 1)[0]]


def _preflight(base: str, origin: str) -> httpx.Response:
    return httpx.options(f"{base}/jobs/by-urls", timeout=30, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})


def test_cors_answers_only_the_configured_origin(extra_apps: ExtraApps) -> None:
    app = extra_apps.guarded
    ok = _preflight(app.url, CORS_ORIGIN)
    assert ok.status_code == 200, ok.text
    assert ok.headers["access-control-allow-origin"] == CORS_ORIGIN
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    with app.client() as c:
        r = c.get("/metrics", headers={"Origin": CORS_ORIGIN})
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == CORS_ORIGIN
        assert "origin" in r.headers.get("vary", "").lower()
        for origin in EVIL_ORIGINS:
            assert "access-control-allow-origin" not in _preflight(app.url, origin).headers
            r = c.get("/metrics", headers={"Origin": origin})
            assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


def test_every_method_of_the_schema_passes_the_preflight(extra_apps: ExtraApps) -> None:
    """A browser on the allowed origin can make every call the API offers (the original
    dashboard's PUT /benchmarks/... was refused here once), and can read the paging headers."""
    app = extra_apps.guarded
    with app.client() as c:
        schema = c.get("/openapi.json").json()
        one_path = {m.upper(): p for p, item in schema["paths"].items() for m in item
                    if m in ("get", "post", "put", "patch", "delete")}
        assert {"GET", "POST", "PUT", "DELETE"} <= set(one_path)
        for method, path in one_path.items():
            r = httpx.options(app.url + path, timeout=30, headers={
                "Origin": CORS_ORIGIN, "Access-Control-Request-Method": method,
                "Access-Control-Request-Headers": "authorization,content-type"})
            assert r.status_code == 200, (method, path, r.text)
            assert method in r.headers["access-control-allow-methods"]
        got = c.get("/admin/jobs", headers={"Origin": CORS_ORIGIN})
        assert got.status_code == 200 and "X-Total-Count" in got.headers
        exposed = got.headers.get("access-control-expose-headers", "").lower()
        assert "x-total-count" in exposed


def test_no_cors_origins_means_no_cors_headers(live_server: LiveServer) -> None:
    for base in (live_server.url, live_server.secure_url):
        for origin in [CORS_ORIGIN, *EVIL_ORIGINS]:
            assert "access-control-allow-origin" not in _preflight(base, origin).headers
            r = httpx.get(f"{base}/health", headers={"Origin": origin}, timeout=30)
            assert "access-control-allow-origin" not in r.headers


def test_wildcard_origin_with_a_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings(CORS_ORIGINS="*", API_TOKEN="t0ken", DATA_DIR=tmp_path)
    tokens = tmp_path / "tokens"
    tokens.write_text("# team tokens\nfile-token-1\n")
    with pytest.raises(ValidationError, match="CORS_ORIGINS"):
        Settings(CORS_ORIGINS="https://a.example, *", API_TOKEN_FILE=tokens, DATA_DIR=tmp_path)


def test_wildcard_origin_without_a_token_never_allows_credentials(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(CORS_ORIGINS="*", DATA_DIR=tmp_path)))
    r = client.options("/jobs", headers={"Origin": "http://any.example",
                                         "Access-Control-Request-Method": "GET"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


# ---- limits ------------------------------------------------------------------------------------
def test_more_urls_than_the_cap_is_413(extra_apps: ExtraApps, target: CountingServer) -> None:
    app = extra_apps.guarded  # MAX_URLS_PER_REQUEST=5
    before = app.job_count()
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/{i}.mp4" for i in range(6)]})
        assert r.status_code == 413
        assert "MAX_URLS_PER_REQUEST" in r.json()["detail"]
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/x.mp4"] * 10_000})
        assert r.status_code == 413
    assert app.job_count() == before and target.hits == 0


def test_a_folder_with_more_videos_than_the_cap_is_413(extra_apps: ExtraApps,
                                                       live_server: LiveServer) -> None:
    folder = live_server.roots / "many-videos"
    folder.mkdir(exist_ok=True)
    for i in range(6):
        (folder / f"ad-{i}.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    app = extra_apps.guarded
    before = app.job_count()
    with app.client() as c:
        r = c.post("/jobs/by-folder", json={"folder_path": str(folder)})
    assert r.status_code == 413, r.text
    assert app.job_count() == before


def _wait_processing(app: ExtraApp, job_id: str) -> None:
    import time

    deadline = time.monotonic() + 120
    with app.client() as c:
        while time.monotonic() < deadline:
            if c.get(f"/jobs/{job_id}").json()["status"] == "processing":
                return
            time.sleep(0.3)
    raise AssertionError(f"{job_id} never started")


def test_pending_jobs_over_the_node_cap_is_429(extra_apps: ExtraApps, target: CountingServer,
                                               sample_ad: Path) -> None:
    """MAX_PENDING_JOBS_PER_NODE=2 on /guarded: two jobs that hang in the download fill it."""
    app = extra_apps.guarded
    with app.client() as c:
        held = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/hold?n={i}"
                                                      for i in range(2)]})
        assert held.status_code == 200, held.text
        ids = [j["job_id"] for j in held.json()]
        _wait_processing(app, ids[0])
        before = app.job_count()
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/one-more.mp4"]})
        assert r.status_code == 429, r.text
        assert "pending jobs" in r.json()["detail"] and "try again" in r.json()["detail"]
        # An upload is refused the same way, and its stored file is removed again.
        uploads = app.data_dir / "uploads"
        r = c.post("/jobs/upload", files={"file": ("ad.mp4", sample_ad.read_bytes(), "video/mp4")})
        assert r.status_code == 429, r.text
        assert not [p for p in uploads.rglob("*") if p.is_file()]
        assert app.job_count() == before
        target.release.set()
        for job_id in ids:
            assert app.wait_job(job_id)["status"] == "failed"
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/after.mp4"]})
        assert r.status_code == 200, "capacity did not come back once the jobs ended"
        app.wait_job(r.json()[0]["job_id"])
