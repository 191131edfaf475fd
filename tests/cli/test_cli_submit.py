"""`adclf submit` against the real Serve app: uploads, folders, URLs, server paths, --watch."""
# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from cli_support import Run, cli, video_http  # noqa: F401 (fixtures)
from videos import simple_ad

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def test_mixed_sources_in_one_call_and_a_failed_job_exits_1(
        live_server: LiveServer, video_http: str, sample_ad: Path, tmp_path: Path,
        cli: Run) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    simple_ad(folder / "puma.mp4", brand="PUMA", domain="puma.com", seconds=4)
    (folder / "notes.txt").write_text("not a video")
    result = cli("submit", str(folder), f"{video_http}/lego.mp4", f"{video_http}/page.html",
                 "--watch", "--timeout", "240", server=live_server.url)
    assert result.exit_code == 1, result.output  # page.html is not a video
    ids = [line for line in result.stdout.splitlines() if line.startswith("node-a-")]
    assert len(ids) == 3, result.stdout
    jobs = {j: httpx.get(f"{live_server.url}/jobs/{j}").json() for j in ids}
    by_source = {j["original_name"] or j["url"]: j for j in jobs.values()}
    assert by_source["puma.mp4"]["status"] == "completed"
    assert by_source[f"{video_http}/lego.mp4"]["status"] == "completed"
    html = by_source[f"{video_http}/page.html"]
    assert html["status"] == "failed"
    table = result.stdout.upper()
    assert "PUMA" in table and "LEGO" in table
    assert "NOT A VIDEO" in table  # the failure's reason is in the results table
    assert "1 of 3 job(s) failed" in result.stderr


def test_server_path_file_and_folder(live_server: LiveServer, sample_ad: Path,
                                     cli: Run) -> None:
    folder = live_server.roots / "cli-server-folder"
    folder.mkdir(exist_ok=True)
    os.link(sample_ad, folder / "copy.mp4")
    result = cli("submit", "--server-path", str(sample_ad), str(folder), "--provider",
                 "embedded", "--ocr-engine", "rapidocr", server=live_server.url)
    assert result.exit_code == 0, result.output
    ids = result.stdout.split()
    assert len(ids) == 2
    with httpx.Client(base_url=live_server.url) as c:
        urls = sorted(c.get(f"/jobs/{j}").json()["url"] for j in ids)
        for job_id in ids:
            settings = c.get(f"/jobs/{job_id}").json()["settings"]
            assert settings["provider"] == "embedded"
        assert urls == sorted([str(sample_ad), str(folder / "copy.mp4")])
        deleted = cli("delete", *ids, server=live_server.url)
        assert deleted.exit_code == 0, deleted.output
        assert sorted(deleted.stdout.split()) == sorted(["deleted"] * 2 + ids)
        for job_id in ids:
            assert c.get(f"/jobs/{job_id}").status_code == 404
    again = cli("delete", ids[0], server=live_server.url)
    assert again.exit_code == 1 and f"{ids[0]}: not found" in again.stderr


def test_bad_local_inputs_fail_before_any_request(tmp_path: Path, cli: Run) -> None:
    # A closed port: reaching the network would be a different error (exit 1).
    dead = "http://127.0.0.1:9"
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    empty = tmp_path / "empty"
    empty.mkdir()
    good = tmp_path / "fine.mp4"
    good.write_bytes(b"x")
    cases = {
        str(tmp_path / "missing.mp4"): "no such local file or folder",
        str(notes): "not a video file",
        str(empty): "no video files",
        "ftp://example.com/ad.mp4": "only http(s) URLs",
    }
    for arg, message in cases.items():
        result = cli("submit", str(good), arg, server=dead)
        assert result.exit_code == 2, (arg, result.output)
        assert message in result.stderr, (arg, result.stderr)
        assert result.stdout == ""
    bad = cli("submit", str(good), "--scan-mode", "sideways", server=dead)
    assert bad.exit_code == 2 and "tail, full, express" in bad.output


def test_server_refusals_show_the_api_detail(live_server: LiveServer, tmp_path: Path,
                                            cli: Run) -> None:
    outside = cli("submit", "--server-path", "/etc/hosts.mp4", server=live_server.url)
    assert outside.exit_code == 1
    assert "403" in outside.stderr and "outside the allowed folders" in outside.stderr
    # The session app allows 5 MB uploads: a 6 MB file is refused with the server's reason.
    big = tmp_path / "big.mp4"
    big.write_bytes(os.urandom(6 * 1024 * 1024))
    too_big = cli("submit", str(big), server=live_server.url)
    assert too_big.exit_code == 1, too_big.output
    assert "MAX_UPLOAD_MB" in too_big.stderr.replace("\n", "")
    assert too_big.stdout == ""
    missing = cli("status", "node-a-00000000-0000-4000-8000-000000000000",
                  server=live_server.url)
    assert missing.exit_code == 1 and "404" in missing.stderr and "not found" in missing.stderr


def test_connection_refused_says_start_the_service(cli: Run, tmp_path: Path) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x")
    for args in (("jobs",), ("submit", str(video)), ("nodes",)):
        result = cli(*args, server="http://127.0.0.1:9")
        assert result.exit_code == 1, result.output
        flat = result.stderr.replace("\n", " ")
        assert "is the service running" in flat and "make run" in flat, flat
        assert "Traceback" not in result.output
    # Credentials in the server URL are not echoed back either.
    leaky = cli("jobs", server="http://bob:hunter2@127.0.0.1:9")
    assert leaky.exit_code == 1 and "hunter2" not in leaky.output
    assert "127.0.0.1:9" in leaky.stderr
