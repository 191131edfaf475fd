"""A node's files (adclf.store.files) without Ray: uploads, serving a job's files with path
safety, deletion of a job's files, retention and exports, on real files and a real DuckDB file."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import duckdb
from store_parts import Parts, make_settings, must, run, spec

from adclf.store.files import CHUNK_LIMIT


def test_upload_open_append_close(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    files = parts.files
    assert files.upload_dir == parts.settings.upload_dir / "node-u"  # per node: see cleanup
    token = files.upload_open(".mp4")
    assert token.endswith(".mp4")
    assert files.upload_append(token, b"abc") == 3
    assert files.upload_append(token, b"de") == 5
    path = Path(must(files.upload_close(token)))
    assert path.parent == files.upload_dir and path.read_bytes() == b"abcde"
    aborted = files.upload_open(".mp4")
    files.upload_append(aborted, b"x")
    assert files.upload_close(aborted, abort=True) is None
    assert not (files.upload_dir / aborted).exists()
    assert sorted(p.name for p in files.upload_dir.iterdir()) == [path.name]


def _job_with_artifacts(parts: Parts, **row: object) -> dict:
    job = run(parts.jobs.create([spec(1)]))[0] | row
    root = parts.settings.artifacts_dir / job["job_id"]
    (root / "frames").mkdir(parents=True)
    (root / "frames" / "f0.jpg").write_bytes(b"jpeg")
    return job


def test_job_files_are_served_only_from_inside_the_job_folder(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job = _job_with_artifacts(parts)
    (parts.settings.artifacts_dir / "secret.txt").write_bytes(b"no")
    outside = parts.settings.artifacts_dir / "node-u-other"
    outside.mkdir()
    (outside / "x.jpg").write_bytes(b"other job")
    files = parts.files
    assert files.job_file(job, "frames/f0.jpg") == \
        parts.settings.artifacts_dir / job["job_id"] / "frames" / "f0.jpg"
    assert files.file_info(job, "frames/f0.jpg") == {"size": 4, "name": "f0.jpg"}
    for name in ("../secret.txt", "../node-u-other/x.jpg", "/etc/passwd", "frames",
                 "frames/missing.jpg"):
        assert files.job_file(job, name) is None, name
        assert files.read_file(job, name) is None
    assert files.file_info(None, "frames/f0.jpg") is None  # unknown job
    assert files.read_file(None, "frames/f0.jpg") is None


def test_the_video_of_a_file_an_upload_and_a_url_job(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    video = tmp_path / "ad.mp4"
    video.write_bytes(b"video")
    by_path = _job_with_artifacts(parts, source=str(video))
    assert parts.files.job_file(by_path, "video") == video
    url_job = _job_with_artifacts(parts, source_kind="url", source="https://ads.example/a.mp4")
    assert parts.files.job_file(url_job, "video") is None  # not downloaded (yet)
    downloaded = parts.settings.artifacts_dir / url_job["job_id"] / "source" / "a.mp4"
    downloaded.parent.mkdir()
    downloaded.write_bytes(b"dl")
    assert parts.files.job_file(url_job, "video") == downloaded
    # A normalised copy recorded in the artifacts wins over the source.
    (downloaded.parent.parent / "normalised.mp4").write_bytes(b"norm")
    normalised = url_job | {"artifacts": '{"video": "normalised.mp4"}'}
    assert must(parts.files.job_file(normalised, "video")).name == "normalised.mp4"
    gone = by_path | {"source": str(tmp_path / "deleted.mp4")}
    assert parts.files.job_file(gone, "video") is None


def test_read_file_in_chunks(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    job = _job_with_artifacts(parts)
    big = parts.settings.artifacts_dir / job["job_id"] / "big.bin"
    big.write_bytes(bytes(range(256)) * (CHUNK_LIMIT // 256 + 2))
    assert parts.files.read_file(job, "frames/f0.jpg", 1, 2) == b"pe"
    assert len(must(parts.files.read_file(job, "big.bin", 0, 10 * CHUNK_LIMIT))) == CHUNK_LIMIT
    assert parts.files.read_file(job, "big.bin", CHUNK_LIMIT, 10 * CHUNK_LIMIT) == \
        big.read_bytes()[CHUNK_LIMIT:]


def test_removing_a_job_s_files_spares_uploads_of_other_folders(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    token = parts.files.upload_open(".mp4")
    upload = Path(must(parts.files.upload_close(token)))
    job = _job_with_artifacts(parts, source_kind="upload", source=str(upload))
    parts.files.remove_job_files(job)
    assert not (parts.settings.artifacts_dir / job["job_id"]).exists() and not upload.exists()
    foreign = tmp_path / "elsewhere.mp4"
    foreign.write_bytes(b"keep")
    other = _job_with_artifacts(parts, source_kind="upload", source=str(foreign))
    parts.files.remove_job_files(other)
    assert foreign.exists()


async def _delete(parts: Parts, job_ids: list[str]) -> list[str]:
    """Deletion as the store does it: rows out of memory and the file, then the files."""
    for job_id in job_ids:
        row = await parts.reads.get(job_id)
        assert row is not None
        parts.jobs.forget(job_id)
        parts.writer.stage_delete(job_id)
        parts.files.remove_job_files(row)
    await parts.writer.commit()
    return job_ids


def test_ttl_cleanup_removes_old_jobs_and_orphans(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path, JOB_TTL_DAYS=0.00001))  # ~0.9 s
    settings = parts.settings
    rows = run(parts.jobs.create([spec(1), spec(2)]))
    old, active = rows[0]["job_id"], rows[1]["job_id"]
    parts.claim("w0")
    run(parts.jobs.complete(old, "w0", {"brand": "B"}, None, None))
    (settings.artifacts_dir / old).mkdir(parents=True)
    (settings.artifacts_dir / active).mkdir(parents=True)
    orphan_dir = settings.artifacts_dir / "node-u-00000000-0000-4000-8000-000000000000"
    orphan_dir.mkdir(parents=True)
    other_node = settings.artifacts_dir / "node-v-00000000-0000-4000-8000-000000000000"
    other_node.mkdir(parents=True)
    orphan_upload = settings.upload_dir / "node-u" / "stale.mp4"
    orphan_upload.write_bytes(b"old")
    in_progress = parts.files.upload_open(".mp4")
    past = time.time() - 7200
    for p in (orphan_dir, other_node, orphan_upload, settings.upload_dir / "node-u" / in_progress,
              settings.artifacts_dir / active):
        os.utime(p, (past, past))
    fresh_upload = settings.upload_dir / "node-u" / "fresh.mp4"
    fresh_upload.write_bytes(b"new")
    time.sleep(1.5)
    report = run(parts.files.cleanup(parts.jobs.active, lambda ids: _delete(parts, ids)))
    assert report["node"] == "node-u" and report["jobs_removed"] == [old]
    assert report["orphan_artifacts_removed"] == [orphan_dir.name]
    assert report["orphan_uploads_removed"] == ["stale.mp4"]
    assert fresh_upload.exists() and not orphan_upload.exists()
    assert other_node.exists() and (settings.artifacts_dir / active).exists()
    assert (settings.upload_dir / "node-u" / in_progress).exists()
    assert not parts.in_file(old) and parts.on_disk(active)["status"] == "queued"


def test_cleanup_trims_events(tmp_path: Path) -> None:
    from adclf.store.schema import MAX_EVENTS_PER_JOB

    parts = Parts.open(make_settings(tmp_path))
    job_id = run(parts.jobs.create([spec()]))[0]["job_id"]
    parts.claim("w0")

    async def chatter() -> None:
        for i in range(MAX_EVENTS_PER_JOB + 50):
            parts.jobs.add_event(job_id, "w0", f"event {i}")
        await parts.writer.flush()

    run(chatter())
    assert len(parts.db.events(job_id)) > MAX_EVENTS_PER_JOB
    report = run(parts.files.cleanup(parts.jobs.active, lambda ids: _delete(parts, ids)))
    assert report["jobs_removed"] == []
    events = parts.db.events(job_id)
    assert len(events) == MAX_EVENTS_PER_JOB and events[-1]["message"] == "event 449"


def test_export_csv_parquet_and_bytes(tmp_path: Path) -> None:
    parts = Parts.open(make_settings(tmp_path))
    ids = [r["job_id"] for r in run(parts.jobs.create([spec(1), spec(2)]))]
    parts.claim("w0")
    run(parts.jobs.complete(ids[0], "w0", {"brand": "NIKE"}, None, None))
    assert run(parts.files.export(str(tmp_path / "jobs.csv"), "csv")) == 2
    with (tmp_path / "jobs.csv").open() as fh:
        got = {r["job_id"]: r for r in csv.DictReader(fh)}
    assert got[ids[0]]["brand"] == "NIKE" and got[ids[1]]["status"] == "queued"
    assert run(parts.files.export(str(tmp_path / "jobs.parquet"), "parquet")) == 2
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path / 'jobs.parquet'}'").fetchone() == (2,)
    con.close()
    data = run(parts.files.export_bytes("csv"))
    assert {r["job_id"] for r in csv.DictReader(io.StringIO(data.decode()))} == set(ids)
    assert not list(parts.settings.DATA_DIR.glob(".export-*"))  # the temporary file is gone
