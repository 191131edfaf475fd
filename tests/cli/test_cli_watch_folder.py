"""`adclf watch DIR` against the real Serve app (real workers): a slow copy is uploaded once it
is complete, its results land next to it, and a second run (a restart) classifies nothing
again, a renamed copy included."""
# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)

from __future__ import annotations

import csv
import json
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cli_support import Run, cli  # noqa: F401 (fixtures)
from videos import simple_ad

from adclf.watch.ledger import LEDGER_NAME
from adclf.watch.results import CSV_NAME

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def _slow_copy(source: Path, target: Path, done: list[float]) -> None:
    data = source.read_bytes()
    step = len(data) // 5 + 1
    with target.open("wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i:i + step])
            fh.flush()
            time.sleep(0.6)
        done.append(time.time())


def test_watch_a_folder_once_then_again(live_server: LiveServer, tmp_path: Path,
                                        cli: Run) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    source = simple_ad(tmp_path / "src.mp4", brand="ADIDAS", domain="adidas.com", seconds=4)
    finished: list[float] = []
    writer = threading.Thread(target=_slow_copy, args=(source, inbox / "sub" / "spot.mp4",
                                                       finished))
    writer.start()
    time.sleep(0.3)  # the file exists and is growing when the watch starts
    result = cli("watch", str(inbox), "--once", "--settle", "1", "--interval", "0.3",
                 "--results", "next_to", "--scan-mode", "tail", server=live_server.url)
    writer.join()
    assert result.exit_code == 0, result.output
    submitted = [line.split() for line in result.stdout.splitlines()
                 if line.startswith("submitted ")]
    assert len(submitted) == 1 and submitted[0][2] == str(inbox / "sub" / "spot.mp4")
    job_id = submitted[0][1]
    job = live_server.client().get(f"/jobs/{job_id}").json()
    assert job["status"] == "completed"
    created = job["created_at"]
    assert time.mktime(time.strptime(created[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone \
        >= int(finished[0]) - 1
    doc = json.loads((inbox / "sub" / "spot.mp4.adclf.json").read_text())
    assert doc["job_id"] == job_id and doc["status"] == "completed"
    assert doc["result"]["brand"] == doc["brand"]
    rows = list(csv.DictReader((inbox / CSV_NAME).open()))
    assert [r["job_id"] for r in rows] == [job_id]
    assert (inbox / LEDGER_NAME).exists()

    # A restart: the same folder, the file renamed and copied; nothing is classified again.
    (inbox / "sub" / "spot.mp4").rename(inbox / "spot-final.mp4")
    shutil.copy(inbox / "spot-final.mp4", inbox / "sub" / "again.mp4")
    second = cli("watch", "--folder", str(inbox), "--once", "--settle", "0.5", "--interval",
                 "0.2", "--results", "next_to", server=live_server.url)
    assert second.exit_code == 0, second.output
    assert "submitted" not in second.stdout
    assert f"already classified as {job_id}" in second.stderr
    assert len(list(csv.DictReader((inbox / CSV_NAME).open()))) == 1


def test_job_ids_are_still_followed_and_usage_errors(live_server: LiveServer, tmp_path: Path,
                                                     cli: Run) -> None:
    missing = cli("watch", "node-a-00000000-0000-0000-0000-000000000000", "--timeout", "5",
                  server=live_server.url)
    assert missing.exit_code == 1  # a job id, not a folder: followed (and not found)
    both = cli("watch", "x", "--folder", str(tmp_path), server=live_server.url)
    assert both.exit_code == 2 and "not both" in both.stderr
    assert cli("watch", server=live_server.url).exit_code == 2
