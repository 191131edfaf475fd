"""Every route the original's dashboard and API reference use, answered in its shape (read in
its public client code: lib/api.ts, its pages and its log console), with adclf's fields beside.
One completed job of the live service is read through each of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import LiveServer

JOB_KEYS = {"job_id", "status", "stage", "stage_detail", "confidence", "duration_seconds",
            "created_at", "updated_at", "progress", "error", "settings", "mode", "url", "brand",
            "category", "category_id", "category_name", "parent_category_id",
            "parent_category", "industry_id", "industry_name"}
ROW_KEYS = {"Brand", "Category", "Category ID", "Confidence", "Reasoning", "brand",
            "confidence", "reasoning", "parent_category_id", "parent_category", "industry_id",
            "industry_name", "category_id", "category_name"}


@pytest.fixture(scope="module")
def done(live_server: LiveServer, sample_ad: Path) -> str:
    with live_server.client() as c:
        r = c.post("/jobs/by-filepath", json={"mode": "pipeline", "file_path": str(sample_ad),
                                              "settings": {"categories": "Sport, Finance",
                                                           "ocr_engine": "EasyOCR",
                                                           "enable_web_search": True}})
        job_id = str(r.json()["job_id"])
    assert live_server.wait_job(job_id)["status"] == "completed"
    return job_id


def test_listings_are_bare_arrays_of_the_originals_jobs(live_server: LiveServer,
                                                        done: str) -> None:
    with live_server.client() as c:
        for path in ("/cluster/jobs", "/admin/jobs", "/jobs"):
            r = c.get(path)
            listed = r.json()
            assert isinstance(listed, list) and set(listed[0]) >= JOB_KEYS, path
            assert any(j["job_id"] == done for j in listed)
        r = c.get("/cluster/jobs", params={"limit": 1, "offset": 0})
        assert len(r.json()) == 1 and int(r.headers["x-total-count"]) >= 1
        assert json.loads(r.headers["x-unavailable-nodes"]) == []


def test_cluster_nodes_and_maintenance(live_server: LiveServer) -> None:
    with live_server.client() as c:
        fleet = c.get("/cluster/nodes").json()
        assert {"nodes", "status", "maintenance", "accepting_new_jobs", "self"} <= set(fleet)
        assert all(isinstance(url, str) for url in fleet["nodes"].values())
        try:
            got = c.post("/admin/node/maintenance", json={"enabled": True}).json()
            assert got["node"] == fleet["self"] and got["maintenance_mode"] is True
            assert got["accepting_new_jobs"] is False
            node = c.post(f"/cluster/nodes/{fleet['self']}/maintenance",
                          json={"enabled": False}).json()
            assert {"node", "maintenance_mode", "accepting_new_jobs"} <= set(node)
            assert node["accepting_new_jobs"] is True
        finally:
            c.post("/admin/node/maintenance", json={"enabled": False})


def test_job_detail_routes_are_wrapped_as_the_original(live_server: LiveServer,
                                                       done: str) -> None:
    with live_server.client() as c:
        assert set(c.get(f"/jobs/{done}").json()) >= JOB_KEYS
        result = c.get(f"/jobs/{done}/result").json()
        (row,) = result["result"]
        assert set(row) >= ROW_KEYS and row["Brand"].lower() == "nike"
        assert row["Category"] in ("Sport", "Finance")  # the job's own label
        assert row["category_name"] and row["Category ID"]  # IAB fields beside it
        art = c.get(f"/jobs/{done}/artifacts").json()["artifacts"]
        assert {"latest_frames", "ocr_text", "category_mapper", "vision_board",
                "per_frame_vision", "processing_trace"} <= set(art)
        assert "nike" in art["ocr_text"]["text"].lower() and art["ocr_text"]["lines"]
        frame = c.get(art["latest_frames"][0]["url"].replace(live_server.url, ""))
        assert frame.status_code == 200 and frame.content[:2] == b"\xff\xd8"
        events = c.get(f"/jobs/{done}/events").json()["events"]
        assert all(isinstance(e, str) and ": " in e for e in events)
        assert any(" completed:" in e for e in events)
        exp = c.get(f"/jobs/{done}/explanation").json()["explanation"]
        assert {"job_id", "status", "summary", "attempts", "final", "evidence"} <= set(exp)
        assert exp["final"]["brand"].lower() == "nike" and exp["attempts"][0]["status"]
        notes = exp["summary"]["settings_notes"]
        assert any("EasyOCR" in n for n in notes) and any("web search" in n for n in notes)
        poster = c.get(f"/jobs/{done}/video-poster")
        assert poster.status_code == 200 and poster.content[:2] == b"\xff\xd8"
        assert poster.headers["content-type"] == "image/jpeg"


def _analytics_ok(a: dict[str, Any]) -> None:
    assert {"total", "completed", "failed", "avg_duration"} <= set(a["totals"])
    assert a["top_brands"] and {"brand", "count"} <= set(a["top_brands"][0])
    assert {"category", "count"} <= set(a["categories"][0])
    assert {"count", "p50", "p90", "p95", "p99"} <= set(a["duration_percentiles"])
    assert {"jobs_with_trace", "accepted_paths", "transit_paths"} <= set(a["path_metrics"])
    for key in ("avg_duration_by_mode", "avg_duration_by_scan", "daily_outcomes", "providers",
                "duration_series", "recent_duration_points"):
        assert isinstance(a[key], list), key


def test_analytics_taxonomy_diagnostics_and_models(live_server: LiveServer, done: str) -> None:
    with live_server.client(timeout=90) as c:
        _analytics_ok(c.get("/analytics").json())
        _analytics_ok(c.get("/cluster/analytics").json())
        tax = c.get("/api/taxonomy/explorer").json()
        assert tax["enabled"] and tax["groups"] and tax["items"]
        assert {"id", "name", "level", "parent_id", "path_ids", "path_names", "path_text",
                "industry_id", "industry_name"} <= set(tax["items"][0])
        for path in ("/diagnostics/concurrency", "/diagnostics/watcher",
                     "/diagnostics/category", "/diagnostics/categories", "/diagnostics/device"):
            assert c.get(path).status_code == 200, path
        profile = c.get("/api/system/profile").json()
        assert profile["hardware"]["cpu_count_logical"] >= 1
        assert isinstance(profile["capability_matrix"], list)
        for path in ("/api/v1/models?provider=ollama", "/api/v1/models?provider=llama-server",
                     "/llama-server/models", "/ollama/models"):
            r = c.get(path)
            assert r.status_code == 200 and r.json() == [], path  # no model server here
            assert r.headers["x-unavailable-reason"]
        # An unknown provider quoted in the reason header stays a valid header (was a 500).
        r = c.get("/api/v1/models", params={"provider": "\x12héllo\u4f60"})
        assert r.status_code == 200 and r.json() == []
        assert r.headers["x-unavailable-reason"].isascii()


def test_log_console(live_server: LiveServer) -> None:
    with live_server.client() as c:
        assert isinstance(c.get("/admin/logs/recent", params={"limit": 300}).json()["lines"],
                          list)
        assert c.post("/admin/logs/clear").json() == {"status": "cleared"}
    with httpx.stream("GET", f"{live_server.url}/admin/logs/stream", timeout=10) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = r.iter_lines()
        assert next(lines) == "event: bootstrap"
        assert "lines" in json.loads(next(lines).removeprefix("data: "))


def test_openapi_lists_every_original_path(live_server: LiveServer) -> None:
    with live_server.client() as c:
        schema = c.get("/openapi.json").json()
    for path in ("/cluster/nodes", "/cluster/jobs", "/cluster/analytics", "/analytics",
                 "/diagnostics/device", "/diagnostics/concurrency", "/diagnostics/watcher",
                 "/diagnostics/category", "/diagnostics/categories", "/api/system/profile",
                 "/metrics", "/ollama/models", "/llama-server/models", "/api/v1/models",
                 "/jobs/{job_id}/video-poster", "/api/taxonomy/explorer", "/admin/jobs",
                 "/admin/logs/stream", "/admin/logs/recent", "/admin/logs/clear",
                 "/admin/node/maintenance"):
        assert path in schema["paths"], path
    jobs_422 = schema["paths"]["/jobs/by-urls"]["post"]["responses"]["422"]
    assert "ValidationErrorView" in json.dumps(jobs_422)
