"""One job uploaded and watched with the CLI, then read back with status/jobs/export, plus the
admin commands (cleanup, nodes, maintenance), all against the real Serve app."""

# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)
from __future__ import annotations

import io
import json
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import httpx
import pyarrow.parquet as pq
from cli_support import CliJob, Run, cli, cli_job  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def test_upload_with_watch_shows_brand_and_exits_0(live_server: LiveServer,
                                                   cli_job: CliJob) -> None:
    result = cli_job.result
    assert result.exit_code == 0, result.output
    assert cli_job.job_id.startswith("node-a-"), result.stdout
    # The results table (stdout) carries the brand, the category path and the status.
    assert "IKEA" in result.stdout.upper() and "completed" in result.stdout
    assert "›" in result.stdout  # industry › category
    job = httpx.get(f"{live_server.url}/jobs/{cli_job.job_id}").json()
    assert job["status"] == "completed"
    assert job["source_kind"] == "upload" and job["original_name"] == "ikea spring ad.mp4"
    assert job["settings"]["scan_mode"] == "Tail Only"
    video = httpx.get(f"{live_server.url}/jobs/{cli_job.job_id}/video")
    assert video.content == cli_job.video.read_bytes()  # the whole file arrived intact


def test_status_shows_details_result_and_raw_json(live_server: LiveServer, cli_job: CliJob,
                                                  cli: Run) -> None:
    shown = cli("status", cli_job.job_id, server=live_server.url)
    assert shown.exit_code == 0, shown.output
    api = httpx.get(f"{live_server.url}/jobs/{cli_job.job_id}").json()
    result = httpx.get(f"{live_server.url}/jobs/{cli_job.job_id}/result").json()
    for value in (cli_job.job_id, api["brand"], api["category_name"], "completed",
                  result["provider"]):
        assert value and value in shown.stdout, (value, shown.stdout)
    assert result["reasoning"].split()[0] in shown.stdout
    raw = cli("status", cli_job.job_id, "--json", server=live_server.url)
    assert json.loads(raw.stdout) == api


def test_status_of_a_failed_job_shows_its_error(live_server: LiveServer, tmp_path: Path,
                                                cli: Run) -> None:
    broken = live_server.roots / f"cli-broken-{uuid.uuid4().hex[:6]}.mp4"
    broken.write_bytes(b"\x00" * 4096)  # a .mp4 name but no video inside
    with httpx.Client(base_url=live_server.url) as c:
        job_id = c.post("/jobs/by-filepath", json={"file_path": str(broken)}).json()["job_id"]
    failed = live_server.wait_job(job_id)
    assert failed["status"] == "failed"
    shown = cli("status", job_id, server=live_server.url)
    assert shown.exit_code == 0
    assert "failed" in shown.stdout and "Error" in shown.stdout
    assert failed["error"].split()[0] in shown.stdout
    watched = cli("watch", job_id, server=live_server.url)
    assert watched.exit_code == 1 and job_id in watched.stdout


def test_jobs_lists_local_and_cluster_with_filters(live_server: LiveServer, cli_job: CliJob,
                                                   cli: Run) -> None:
    # Searched by id: with other suites' jobs in the same session the table narrows its columns.
    listed = cli("jobs", "--status", "completed", "--limit", "50", "--search", cli_job.job_id,
                 server=live_server.url)
    assert listed.exit_code == 0, listed.output
    assert cli_job.job_id in listed.stdout and "IKEA" in listed.stdout.upper()
    as_json = cli("jobs", "--status", "completed", "--limit", "50", "--json",
                  server=live_server.url)
    statuses = {j["status"] for j in json.loads(as_json.stdout)}
    assert statuses == {"completed"}
    none_failed = cli("jobs", "--status", "failed", "--search", cli_job.job_id, "--json",
                      server=live_server.url)
    assert json.loads(none_failed.stdout) == []
    cluster = cli("jobs", "--all-nodes", "--search", cli_job.job_id, "--json",
                  server=live_server.url)
    page = json.loads(cluster.stdout)
    assert page["total"] == 1 and page["jobs"][0]["job_id"] == cli_job.job_id
    table = cli("jobs", "--all-nodes", "--limit", "1", server=live_server.url)
    assert table.exit_code == 0 and "1 of " in table.stdout
    bad = cli("jobs", "--status", "sleeping", server=live_server.url)
    assert bad.exit_code == 2


def test_export_csv_and_parquet_contain_the_job(live_server: LiveServer, cli_job: CliJob,
                                                tmp_path: Path, cli: Run) -> None:
    csv_file = tmp_path / "jobs.csv"
    got = cli("export", "--format", "csv", "--out", str(csv_file), server=live_server.url)
    assert got.exit_code == 0, got.output
    assert str(csv_file) in got.stderr.replace("\n", "")
    rel = duckdb.sql(f"SELECT job_id, brand, status FROM read_csv_auto('{csv_file}') "
                     f"WHERE job_id = '{cli_job.job_id}'")
    assert rel is not None
    rows = rel.fetchall()
    assert len(rows) == 1 and rows[0][1].upper() == "IKEA" and rows[0][2] == "completed"
    pq_file = tmp_path / "jobs.parquet"
    got = cli("export", "-f", "parquet", "-o", str(pq_file), server=live_server.url)
    assert got.exit_code == 0, got.output
    table = pq.read_table(pq_file)
    assert cli_job.job_id in table.column("job_id").to_pylist()
    assert not list(tmp_path.glob(".*.partial"))
    to_stdout = cli("export", "--out", "-", server=live_server.url)
    assert to_stdout.stdout.startswith("job_id,") and cli_job.job_id in to_stdout.stdout
    # The parquet bytes really are parquet, not CSV with another name.
    assert pq.read_table(io.BytesIO(pq_file.read_bytes())).num_rows >= 1


def test_cleanup_prints_what_it_removed_per_node(live_server: LiveServer, cli: Run) -> None:
    orphan = live_server.data_dir / "artifacts" / f"node-a-orphan-{uuid.uuid4()}"
    orphan.mkdir(parents=True)
    (orphan / "frame.jpg").write_bytes(b"x")
    old = time.time() - 3 * 3600  # older than the cleanup's one-hour grace
    os.utime(orphan, (old, old))
    result = cli("cleanup", server=live_server.url)
    assert result.exit_code == 0, result.output
    assert not orphan.exists()
    assert "node-a" in result.stdout and "Cleanup" in result.stdout
    assert f"node-a: removed artifacts {orphan.name}" in result.stdout
    again = cli("cleanup", "--json", server=live_server.url)
    reports = json.loads(again.stdout)
    assert reports[0]["node"] == "node-a"
    assert orphan.name not in reports[0]["orphan_artifacts_removed"]


def test_nodes_and_maintenance(live_server: LiveServer, sample_ad: Path, cli: Run) -> None:
    shown = cli("nodes", server=live_server.url)
    assert shown.exit_code == 0, shown.output
    assert "node-a" in shown.stdout and "yes" in shown.stdout
    raw = json.loads(cli("nodes", "--json", server=live_server.url).stdout)
    assert raw["node_views"][0]["node"] == "node-a" and raw["node_views"][0]["workers"] >= 1
    on = cli("maintenance", "node-a", "on", server=live_server.url)
    try:
        assert on.exit_code == 0, on.output
        node = httpx.get(f"{live_server.url}/cluster/nodes").json()["node_views"][0]
        assert node["maintenance"] is True
        refused = cli("submit", "--server-path", str(sample_ad), server=live_server.url)
        assert refused.exit_code == 1 and "maintenance" in refused.stderr
    finally:
        off = cli("maintenance", "node-a", "off", server=live_server.url)
    assert off.exit_code == 0
    assert httpx.get(f"{live_server.url}/cluster/nodes").json()["maintenance"]["node-a"] is False
    assert cli("maintenance", "node-a", "maybe", server=live_server.url).exit_code == 2
    unknown = cli("maintenance", "no-such-node", "on", server=live_server.url)
    assert unknown.exit_code == 1 and "404" in unknown.stderr
