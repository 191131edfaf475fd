"""The benchmark lab through the running service: a truth set of two real generated ads
imported from CSV, a suite of two configurations (Tail Only vs Full Video, embedded provider)
run as low-priority jobs of one batch, results per configuration, CSV and Parquet exports read
back, the original's truth and suite routes, and its dashboard's edits and deletions of suites
and tests (a test is a truth): a truth a running suite uses is kept (409), deleting the suite
aborts its jobs."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from support import LiveServer, QuietHandler
from videos import simple_ad


def _csv(roots: Path) -> str:
    nike = simple_ad(roots / "bench" / "nike.mp4", brand="NIKE", product="Running shoes",
                     domain="nike.com")
    puma = simple_ad(roots / "bench" / "puma.mp4", brand="PUMA", product="Running shoes",
                     domain="puma.com")
    return ("name,video,expected_brand,expected_category,expected_ocr_text\n"
            f"nike,{nike},Nike,Footwear,NIKE nike.com\n"
            f"puma,{puma},puma,1070,PUMA puma.com\n")


def test_a_suite_of_two_configurations_over_two_ads(live_server: LiveServer) -> None:
    with live_server.client(timeout=60) as c:
        r = c.post("/api/benchmark/truth-sets/import",
                   json={"name": "shoes", "csv": _csv(live_server.roots)})
        assert r.status_code == 200, r.text
        made = r.json()
        assert made["item_count"] == 2
        assert [i["expected_category"] for i in made["items"]] == ["1070", "1070"]
        assert made["set_id"] in {s["set_id"] for s in
                                  c.get("/api/benchmark/truth-sets").json()["truth_sets"]}

        r = c.post("/api/benchmark/run", json={
            "set_id": made["set_id"], "providers": ["embedded"],
            "scan_modes": ["Tail Only", "Full Video"]})
        assert r.status_code == 200, r.text
        run = r.json()
        assert run["jobs_enqueued"] == 4 and run["matrix"]["permutations"] == 2
        suite_id = run["suite_id"]
        for job in run["jobs"]:
            view = c.get(f"/jobs/{job['job_id']}").json()
            assert view["priority"] == "low" and view["batch_id"] == suite_id
        for job in run["jobs"]:
            assert live_server.wait_job(job["job_id"], timeout=300)["status"] == "completed"

        results = c.get(f"/api/benchmark/suites/{suite_id}/results").json()
        assert (results["status"], results["completed_jobs"]) == ("completed", 4)
        configs = {cfg["scan_mode"]: cfg for cfg in results["configurations"]}
        assert set(configs) == {"Tail Only", "Full Video"}
        for cfg in configs.values():
            assert cfg["runs"] == cfg["completed"] == 2
            assert cfg["brand_accuracy"] == 1.0
            assert 0.0 < cfg["latency_p50"] <= cfg["latency_p95"]
            assert cfg["category_accuracy"] is not None and cfg["tier1_accuracy"] is not None
            assert 0.0 < cfg["ocr_similarity"] <= 1.0
            # right: brand and category both right; the embedded model's category may differ
            assert (cfg["confidence_right"], cfg["confidence_wrong"]) != (None, None)
        assert len(results["points"]) == 4
        assert all(p["x_duration_seconds"] > 0 for p in results["points"])

        listed = c.get("/api/benchmark/suites").json()["suites"]
        assert any(s["suite_id"] == suite_id and s["status"] == "completed" for s in listed)
        detail = c.get(f"/api/benchmark/suites/{suite_id}").json()
        assert detail["test_count"] == 2 and len(detail["runs"]) == 4

        r = c.get(f"/api/benchmark/suites/{suite_id}/export", params={"format": "parquet"})
        assert r.status_code == 200
        table = pq.read_table(io.BytesIO(r.content))
        assert table.num_rows == 2 and table.column("brand_accuracy").to_pylist() == [1.0, 1.0]
        r = c.get(f"/api/benchmark/suites/{suite_id}/export",
                  params={"format": "csv", "table": "runs"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        path = live_server.data_dir.parent / f"{suite_id}-runs.csv"
        path.write_bytes(r.content)
        rows = duckdb.sql(f"SELECT job_id, brand_ok FROM read_csv('{path}')").fetchall()
        assert sorted(j for j, _ in rows) == sorted(j["job_id"] for j in run["jobs"])
        assert all(ok for _, ok in rows)


def test_the_originals_truth_routes_and_refusals(live_server: LiveServer) -> None:
    ad = simple_ad(live_server.roots / "bench" / "acme.mp4")
    with live_server.client() as c:
        r = c.post("/api/benchmark/truths", json={
            "name": "acme", "video_url": str(ad), "expected_brand": "ACME",
            "expected_categories": ["Footwear"], "expected_confidence": 0.9})
        assert r.status_code == 200, r.text
        truth_id = r.json()["truth_id"]
        got = c.get(f"/api/benchmark/truths/{truth_id}").json()
        assert (got["expected_brand"], got["expected_category"]) == ("ACME", "1070")
        assert truth_id in {t["truth_id"] for t in c.get("/api/benchmark/truths").json()["truths"]}

        refused = c.post("/api/benchmark/truths", json={
            "video_url": "/etc/passwd", "expected_brand": "x"})
        assert refused.status_code in (400, 403), refused.text
        unknown = c.post("/api/benchmark/truths", json={
            "video_url": str(ad), "expected_brand": "x", "expected_category": "No Such Thing"})
        assert unknown.status_code == 400 and "unknown category" in unknown.json()["detail"]
        bad = c.post("/api/benchmark/run", json={"truth_id": truth_id, "scan_modes": ["Sideways"]})
        assert bad.status_code == 400, bad.text
        assert c.post("/api/benchmark/truth-sets/import",
                      json={"name": "x", "csv": "a,b\n1,2\n"}).status_code == 400

        assert c.delete(f"/api/benchmark/truths/{truth_id}").json() == {
            "deleted": truth_id, "set_id": "default", "deleted_jobs": 0}
        assert c.get(f"/api/benchmark/truths/{truth_id}").status_code == 404
        assert c.get("/api/benchmark/suites/suite-nope/results").status_code == 404


def test_an_uploaded_truth_video_is_kept_and_benchmarked(live_server: LiveServer,
                                                         tmp_path: Path) -> None:
    ad = simple_ad(tmp_path / "globex.mp4", brand="GLOBEX", domain="globex.com")
    with live_server.client(timeout=60) as c:
        with ad.open("rb") as fh:
            r = c.post("/api/benchmark/truth-sets/set-uploads/upload",
                       files={"file": ("globex.mp4", fh, "video/mp4")},
                       data={"expected_brand": "Globex", "expected_category": "Footwear",
                             "set_name": "Uploads"})
        assert r.status_code == 200, r.text
        made = r.json()
        assert (made["set_id"], made["name"], made["item_count"]) == ("set-uploads", "Uploads", 1)
        kept = Path(made["items"][0]["video_url"])
        assert kept.is_file() and kept.read_bytes() == ad.read_bytes()
        assert made["items"][0]["source_kind"] == "upload"

        run = c.post("/api/benchmark/run", json={"set_id": "set-uploads",
                                                 "scan_modes": ["Tail Only"]}).json()
        job_id = run["jobs"][0]["job_id"]
        assert live_server.wait_job(job_id, timeout=300)["status"] == "completed"
        results = c.get(f"/api/benchmark/suites/{run['suite_id']}/results").json()
        assert results["configurations"][0]["brand_accuracy"] == 1.0
        c.delete(f"/jobs/{job_id}")
        assert kept.is_file()  # deleting a benchmark job leaves the truth video
        item_id = made["items"][0]["truth_id"]
        assert c.delete(f"/api/benchmark/truths/{item_id}").status_code == 200
        assert not kept.exists()


class _Videos(QuietHandler):
    """/held.mp4 answers only once the test lets it (its job stays running meanwhile);
    anything else is a 404 at once (its job fails fast)."""

    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/held.mp4":
            self.release.wait(60)
        self.send_body(404, b"", "text/plain")


@pytest.fixture
def videos() -> Iterator[str]:
    _Videos.release.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Videos)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Videos.release.set()
    server.shutdown()


def _truth(c, url: str, **extra: object) -> str:  # type: ignore[no-untyped-def]
    r = c.post("/api/benchmark/truths", json={"name": url.rsplit("/", 1)[-1], "video_url": url,
                                              "expected_brand": "Acme", **extra})
    assert r.status_code == 200, r.text
    return str(r.json()["truth_id"])


def _run(c, truth_id: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    r = c.post("/api/benchmark/run", json={"truth_id": truth_id, "providers": ["embedded"],
                                           "scan_modes": ["Tail Only"]})
    assert r.status_code == 200, r.text
    return r.json()["suite_id"], r.json()["jobs"][0]["job_id"]


def test_the_dashboards_suite_and_test_edits(live_server: LiveServer, videos: str) -> None:
    with live_server.client() as c:
        held = _truth(c, f"{videos}/held.mp4", expected_confidence=0.8,
                      expected_reasoning="the logo")
        got = c.get(f"/api/benchmark/truths/{held}").json()
        assert (got["expected_confidence"], got["expected_reasoning"]) == (0.8, "the logo")

        # A test edit, as the original's dashboard sends it (every field, the source unchanged).
        r = c.put(f"/benchmarks/tests/{held}", json={
            "source_url": f"{videos}/held.mp4", "expected_category": "Footwear",
            "expected_brand": "Acme Co", "expected_confidence": None,
            "expected_reasoning": "end card", "expected_ocr_text": "ACME"})
        assert r.status_code == 200, r.text
        edited = r.json()
        assert edited == c.get(f"/api/benchmark/truths/{held}").json()
        assert (edited["test_id"], edited["expected_brand"], edited["expected_category"],
                edited["expected_confidence"], edited["expected_reasoning"],
                edited["expected_ocr_text"]) == (held, "Acme Co", "1070", 0.8, "end card",
                                                  "ACME")
        assert c.put("/benchmarks/tests/truth-nope", json={}).status_code == 404
        assert c.put(f"/benchmarks/tests/{held}", json={"expected_brand": ""}).status_code == 400
        typo = c.put(f"/benchmarks/tests/{held}", json={"expected_brnad": "x"})
        assert typo.status_code == 422 and "expected_brnad" in typo.json()["detail"]

        suite_id, job_id = _run(c, held)
        r = c.put(f"/benchmarks/suites/{suite_id}",
                  json={"name": "Held suite", "description": "waits for the video"})
        assert r.status_code == 200, r.text
        summary = r.json()
        assert (summary["suite_id"], summary["name"], summary["description"],
                summary["status"], summary["total_jobs"]) == (
            suite_id, "Held suite", "waits for the video", "running", 1)
        listed = {s["suite_id"]: s for s in c.get("/api/benchmark/suites").json()["suites"]}
        assert listed[suite_id]["description"] == "waits for the video"
        assert c.put("/benchmarks/suites/suite-nope", json={"name": "x"}).status_code == 404

        for path in (f"/api/benchmark/truths/{held}", f"/benchmarks/tests/{held}"):
            r = c.delete(path)
            assert r.status_code == 409, r.text
            assert "still running" in r.json()["detail"] and suite_id in r.json()["detail"]
        assert c.get(f"/api/benchmark/truths/{held}").status_code == 200

        r = c.delete(f"/benchmarks/suites/{suite_id}")
        assert r.status_code == 200, r.text
        assert r.json() == {"status": "deleted", "suite_id": suite_id, "deleted_tests": 0,
                            "deleted_jobs": 1, "deleted_results": 0}
        assert c.get(f"/jobs/{job_id}").status_code == 404  # aborted through the job path
        assert c.get(f"/api/benchmark/suites/{suite_id}").status_code == 404
        assert c.delete(f"/benchmarks/suites/{suite_id}").status_code == 404
        _Videos.release.set()
        r = c.delete(f"/benchmarks/tests/{held}")
        assert r.status_code == 200, r.text
        assert r.json() == {"status": "deleted", "test_id": held, "suite_id": "",
                            "set_id": "default", "deleted_jobs": 0}

        # A finished suite's truth is deleted with its job and its run.
        gone = _truth(c, f"{videos}/gone.mp4")
        suite_id, job_id = _run(c, gone)
        assert live_server.wait_job(job_id, timeout=120)["status"] == "failed"
        results = c.get(f"/api/benchmark/suites/{suite_id}/results").json()
        assert (results["status"], results["failed_jobs"]) == ("completed", 1)
        r = c.delete(f"/api/benchmark/truths/{gone}")
        assert r.status_code == 200, r.text
        assert r.json() == {"deleted": gone, "set_id": "default", "deleted_jobs": 1}
        assert c.get(f"/jobs/{job_id}").status_code == 404
        assert c.get(f"/api/benchmark/suites/{suite_id}").json()["runs"] == []
        r = c.delete(f"/benchmarks/suites/{suite_id}")
        assert r.json()["deleted_jobs"] == 0 and r.json()["deleted_results"] == 0
        assert c.delete(f"/benchmarks/tests/{gone}").status_code == 404

        schema = c.get("/openapi.json").json()
        for path, methods in (("/benchmarks/suites/{suite_id}", ("put", "delete")),
                              ("/benchmarks/tests/{truth_id}", ("put", "delete"))):
            for method in methods:
                op = schema["paths"][path][method]
                assert op["tags"] == ["benchmark"] and "404" in op["responses"]
                assert "$ref" in op["responses"]["200"]["content"]["application/json"]["schema"]
        assert "409" in schema["paths"]["/benchmarks/tests/{truth_id}"]["delete"]["responses"]
        assert "409" in schema["paths"]["/api/benchmark/truths/{truth_id}"]["delete"][
            "responses"]
