"""Every other route, and every documented error, through the real Serve app."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq
from support import LiveServer

UNKNOWN = "node-a-00000000-0000-4000-8000-000000000000"


def test_health_metrics_and_prometheus(live_server: LiveServer) -> None:
    with live_server.client() as c:
        assert c.get("/health").json() == {"status": "ok", "node": "node-a", "db": "ok",
                                           "nodes_alive": 1}
        m = c.get("/metrics").json()
        for key in ("jobs_queued", "jobs_processing", "jobs_completed", "jobs_failed",
                    "jobs_submitted_this_process", "uptime_seconds", "node"):
            assert key in m
        text = c.get("/metrics", params={"format": "prometheus"}).text
        assert "# TYPE adclf_jobs_completed gauge" in text
        assert f'adclf_jobs_completed{{node="node-a"}} {m["jobs_completed"]}' in text
        assert c.get("/metrics", headers={"Accept": "text/plain"}).text.startswith("# HELP")


def test_errors_are_json_with_clear_messages(live_server: LiveServer, tmp_path: Path) -> None:
    with live_server.client() as c:
        r = c.get(f"/jobs/{UNKNOWN}")
        assert r.status_code == 404 and "not found" in r.json()["detail"]
        assert c.get("/jobs/not-a-job-id").status_code == 404
        for suffix in ("result", "artifacts", "events", "explanation", "video", "stream"):
            assert c.get(f"/jobs/{UNKNOWN}/{suffix}").status_code == 404, suffix
        assert c.post("/jobs/by-urls", json={"urls": "nope"}).status_code == 422
        assert c.post("/jobs/by-urls", json={"urls": []}).status_code == 422
        assert c.post("/jobs/by-urls", json={"urls": ["x"], "settings": {"bogus": 1}}
                      ).status_code == 422
        r = c.post("/jobs/by-urls", json={"urls": ["ftp://example.com/a.mp4"]})
        assert r.status_code == 400 and "http" in r.json()["detail"]
        outside = tmp_path / "outside.mp4"
        outside.write_bytes(b"x")
        r = c.post("/jobs/by-filepath", json={"file_path": str(outside)})
        assert r.status_code == 403 and "ALLOWED_FOLDER_ROOTS" in r.json()["detail"] or \
            r.status_code == 403
        big = b"\0" * (6 * 1024 * 1024)
        r = c.post("/jobs/upload", files={"file": ("big.mp4", big, "video/mp4")})
        assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_internal_flag_is_accepted_and_ignored(live_server: LiveServer, sample_ad: Path) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-filepath?internal=1", json={"file_path": str(sample_ad)})
        assert r.status_code == 200
        job_id = r.json()["job_id"]
        assert c.get(f"/jobs/{job_id}?internal=1").json()["job_id"] == job_id
        c.delete(f"/jobs/{job_id}")


def test_listings_cluster_admin_and_export(live_server: LiveServer, sample_ad: Path) -> None:
    with live_server.client() as c:
        job_id = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}).json()["job_id"]
        live_server.wait_job(job_id)
        local = c.get("/jobs").json()
        assert any(j["job_id"] == job_id for j in local)
        r = c.get("/cluster/jobs", params={"status": "completed", "limit": 5})
        listed = r.json()  # a bare array; the page is in the headers
        assert int(r.headers["x-total-count"]) >= 1 and len(listed) <= 5
        assert r.headers["x-limit"] == "5" and r.headers["x-offset"] == "0"
        assert r.headers["x-unavailable-nodes"] == "[]"
        assert all(j["status"] == "completed" for j in listed)
        times = [j["updated_at"] for j in listed]
        assert times == sorted(times, reverse=True)
        assert c.get("/cluster/jobs", params={"q": job_id}).json()[0]["job_id"] == job_id
        admin = c.get("/admin/jobs", params={"node": "node-a"})
        assert int(admin.headers["x-total-count"]) >= 1 and isinstance(admin.json(), list)
        assert c.get("/admin/jobs", params={"node": "nope"}).status_code == 404
        fleet = c.get("/cluster/nodes").json()
        assert fleet["self"] == "node-a" and fleet["status"] == {"node-a": True}
        assert fleet["accepting_new_jobs"] == {"node-a": True}
        nodes = fleet["node_views"]
        assert nodes[0]["node"] == "node-a" and nodes[0]["alive"] and nodes[0]["workers"] >= 1
        assert nodes[0]["resources"]["CPU"] > 0
        assert nodes[0]["resources"]["memory"] > 0  # bytes, the key the dashboard reads
        csv = c.get("/jobs/export", params={"format": "csv"})
        assert csv.status_code == 200 and job_id in csv.text
        assert csv.text.splitlines()[0].startswith("job_id,node,status")
        parquet = c.get("/jobs/export", params={"format": "parquet"})
        table = pq.read_table(io.BytesIO(parquet.content))
        assert job_id in table.column("job_id").to_pylist()
        analytics = c.get("/cluster/analytics").json()
        assert analytics["counts"].get("completed", 0) >= 1
        assert analytics["durations"]["p50"] is not None
        assert analytics["totals"]["completed"] >= 1
        assert analytics["duration_percentiles"]["p50"] is not None


def test_maintenance_blocks_new_jobs_with_503_and_persists(live_server: LiveServer,
                                                            sample_ad: Path) -> None:
    with live_server.client() as c:
        node = c.post("/cluster/nodes/node-a/maintenance", json={"enabled": True}).json()
        assert node["maintenance"] is True and node["maintenance_mode"] is True
        assert node["accepting_new_jobs"] is False
        fleet = c.get("/cluster/nodes").json()
        assert fleet["maintenance"] == {"node-a": True}
        assert fleet["accepting_new_jobs"] == {"node-a": False}
        try:
            r = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)})
            assert r.status_code == 503 and "maintenance" in r.json()["detail"]
        finally:
            c.post("/cluster/nodes/node-a/maintenance", json={"enabled": False})
        assert c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}
                      ).status_code == 200


def test_diagnostics_taxonomy_and_docs(live_server: LiveServer) -> None:
    with live_server.client(timeout=90) as c:
        diag = c.get("/diagnostics/device").json()["nodes"]["node-a"]
        assert diag["device"] == "cpu" and diag["cpu_count"] >= 1
        tax = c.get("/api/taxonomy").json()
        assert tax["nodes"] > 100 and tax["tree"]
        schema = c.get("/openapi.json").json()
        for path in ("/jobs/by-urls", "/jobs/by-folder", "/jobs/by-filepath", "/jobs/upload",
                     "/jobs/{job_id}/stream", "/jobs/bulk-delete", "/cluster/nodes",
                     "/cluster/jobs", "/admin/jobs", "/health", "/metrics",
                     "/diagnostics/device"):
            assert path in schema["paths"], path
        assert c.get("/docs").status_code == 200
        # No Ollama server runs here: [] as the original, and the reason in a header.
        r = c.get("/ollama/models")
        assert r.status_code == 200 and r.json() == []
        assert "Ollama" in r.headers["x-unavailable-reason"]
