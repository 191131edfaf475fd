"""A Ray Data batch over real ads: the same answers as the service, bad inputs as failed rows,
and a resume after the driver is killed halfway."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray
from batch_support import make_bad_inputs, write_manifest
from support import LiveServer

from adclf.batch.inputs import list_inputs
from adclf.batch.run import BatchOptions, block_rows, run_batch
from adclf.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPARED = ("brand", "category", "category_id", "category_name", "industry_id", "confidence")


def _settings(live: LiveServer, tmp: Path) -> Settings:
    return Settings(DATA_DIR=str(tmp / "data"), ALLOWED_FOLDER_ROOTS=[str(live.roots)])


@pytest.mark.parametrize(("inputs", "actors"), [(1, 1), (5, 2), (30, 2), (33, 2), (100, 2),
                                                 (2000, 2), (2000, 64), (100_000, 16)])
def test_blocks_hold_several_inputs_yet_every_actor_gets_four(inputs: int, actors: int) -> None:
    per_block = block_rows(inputs, actors)
    blocks = -(-inputs // per_block)
    assert 1 <= per_block <= 8
    assert blocks >= min(inputs, 4 * actors), (per_block, blocks)
    if inputs >= 32 * actors:  # enough to fill every block
        assert per_block == 8


def test_thirty_ads_and_bad_inputs_match_the_service(
        live_server: LiveServer, batch_ads: list[Path], tmp_path: Path) -> None:
    bad = make_bad_inputs(live_server.roots / "batch-bad")
    manifest = write_manifest(live_server.roots / "batch-manifest.txt",
                              [*batch_ads, bad["missing"], bad["html"], bad["empty"]])
    settings = _settings(live_server, tmp_path)
    inputs = list_inputs(str(manifest), settings, restrict=True)
    seen: list[int] = []
    t0 = time.monotonic()
    progress = run_batch(inputs, tmp_path / "results.parquet", settings,
                         BatchOptions(concurrency=2), on_progress=lambda p: seen.append(p.done))
    elapsed = time.monotonic() - t0
    table = pq.read_table(tmp_path / "results.parquet").to_pylist()
    by = {r["input"]: r for r in table}
    assert len(table) == len(by) == 33, f"one row per input ({elapsed:.0f} s)"
    assert progress.done == 33 and progress.failed == 3 and seen[-1] == 33
    assert sorted(seen) == seen  # progress only moves forward
    assert "no such file" in by[str(bad["missing"])]["error"]
    assert "HTML" in by[str(bad["html"])]["error"]
    assert "empty" in by[str(bad["empty"])]["error"]
    for path in batch_ads:
        row = by[str(path)]
        assert row["status"] == "completed", row["error"]
        assert json.loads(row["explanation"])["attempts"], "the explanation is kept as JSON"
    named = sum(1 for p in batch_ads if by[str(p)]["brand"].lower() in p.name)
    assert named >= 27, f"brands read on {named}/30 ads"

    # the service's answers for a few of the same files (its workers run the same Pipeline)
    with live_server.client() as c:
        ids = {p: c.post("/jobs/by-filepath", json={"file_path": str(p)}).json()["job_id"]
               for p in batch_ads[:4]}
        for path, job_id in ids.items():
            assert live_server.wait_job(job_id)["status"] == "completed"
            service = c.get(f"/jobs/{job_id}/result").json()
            for key in COMPARED:
                assert by[str(path)][key] == service[key], (path.name, key)


def test_resume_after_the_driver_is_killed_halfway(
        live_server: LiveServer, batch_ads: list[Path], tmp_path: Path) -> None:
    ads = batch_ads[:8]
    manifest = write_manifest(tmp_path / "manifest.txt", ads)
    out = tmp_path / "out" / "results.parquet"
    parts = out.parent / ".results.parts"
    cmd = [sys.executable, "-m", "adclf.batch", str(manifest), "--out", str(out),
           "--address", ray.get_runtime_context().gcs_address, "--concurrency", "1",
           "--checkpoint-rows", "1", "--quiet"]
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    first = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while len(list(parts.glob("part-*.parquet"))) < 2:
            assert first.poll() is None, first.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "no checkpoint written in 240 s"
            time.sleep(0.2)
        first.send_signal(signal.SIGKILL)
    finally:
        first.wait(30)
    written = {r["input"] for r in pq.read_table(parts).to_pylist()}
    assert 2 <= len(written) < len(ads) and not out.exists()

    second = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr[-2000:]
    summary = json.loads(second.stdout.strip().splitlines()[-1])
    assert summary["skipped"] == len(written) and summary["done"] == len(ads) - len(written)
    table = pq.read_table(out).to_pylist()
    assert sorted(r["input"] for r in table) == sorted(str(p) for p in ads)
    assert all(r["status"] == "completed" for r in table)
    assert not parts.exists()


@pytest.mark.parametrize("source", ["folder", "glob"])
def test_a_folder_or_glob_source_lists_every_video(live_server: LiveServer, batch_ads: list[Path],
                                                   source: str, tmp_path: Path) -> None:
    folder = batch_ads[0].parent
    spec = str(folder) if source == "folder" else f"{folder}/ad00[0-2]-*.mp4"
    got = list_inputs(spec, _settings(live_server, tmp_path), restrict=True)
    assert len(got) == (30 if source == "folder" else 3)


def test_only_a_batch_with_urls_has_a_read_stage(live_server: LiveServer, tmp_path: Path) -> None:
    from adclf.batch.inputs import BatchInput
    from adclf.batch.run import build_dataset

    settings = _settings(live_server, tmp_path)
    files = [BatchInput(f"/srv/ads/{i}.mp4", "file") for i in range(3)]
    url = BatchInput("https://example.com/ad.mp4", "url")
    plain = str(build_dataset(files, settings, BatchOptions(concurrency=1)))
    mixed = str(build_dataset([*files, url], settings, BatchOptions(concurrency=1)))
    assert "Classify" in plain and "read_inputs" not in plain, plain
    assert "Classify" in mixed and "read_inputs" in mixed, mixed
