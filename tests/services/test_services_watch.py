"""Watch folders in the service: a real per-node watcher actor and store on the session's Ray,
real videos written into the folder. No workers: the test plays the worker when a job must
finish, as the other service tests do."""

from __future__ import annotations

import csv
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import ray
from videos import simple_ad

from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.services.watch import ensure_watcher, watcher_actor_name
from adclf.store.client import NAMESPACE, WorkerStoreClient, store_actor_name
from adclf.watch.results import CSV_NAME

NODE = "watch-a"


@dataclass
class Watched:
    settings: Settings
    inbox: Path
    results: Path
    store: Any  # the store actor's handle
    watcher: Any
    source: Path  # a real ad, outside the watched folder
    other: Path  # another real ad

    def jobs(self) -> list[dict[str, Any]]:
        return list(ray.get(self.store.list_jobs.remote(None, None, 1000, 0))["jobs"])

    def status(self) -> dict[str, Any]:
        return dict(ray.get(self.watcher.status.remote(), timeout=30))

    def rounds_after(self, n: int = 3, timeout: float = 60) -> dict[str, Any]:
        """Wait until the watcher has run `n` more rounds with nothing left settling."""
        deadline = time.monotonic() + timeout
        start = None
        while time.monotonic() < deadline:
            try:
                st = self.status()
            except (ray.exceptions.RayActorError, ray.exceptions.GetTimeoutError):
                time.sleep(0.2)
                continue
            if st.get("running"):
                start = st["scans"] if start is None else start
                if st["scans"] >= start + n and st["pending_files"] == 0:
                    return st
            time.sleep(0.2)
        raise AssertionError(f"the watcher did not settle: {st}")


@pytest.fixture(scope="module")
def watched(ray_session: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watched]:
    base = tmp_path_factory.mktemp("watch")
    roots = base / "roots"
    inbox = roots / "inbox"
    inbox.mkdir(parents=True)
    results = base / "results"
    settings = Settings(NODE_NAME=NODE, DATA_DIR=base / "data", ALLOWED_FOLDER_ROOTS=[roots],
                        WATCH_FOLDERS=[str(inbox)], WATCH_RESULTS=str(results),
                        WATCH_SETTLE_SECONDS=1.0, WATCH_SCAN_SECONDS=0.25,
                        WORKERS_PER_NODE=0, CLEANUP_ENABLED=False)
    registry = NodeRegistry(settings, node_hooks=[ensure_watcher])
    assert registry.reconcile() == [NODE]
    store = ray.get_actor(store_actor_name(NODE), namespace=NAMESPACE)
    watcher = ray.get_actor(watcher_actor_name(NODE), namespace=NAMESPACE)
    source = simple_ad(base / "src.mp4", brand="ACME", domain="acme.com", seconds=3)
    other = simple_ad(base / "other.mp4", brand="NIKE", domain="nike.com", seconds=3)
    yield Watched(settings, inbox, results, store, watcher, source, other)
    ray.kill(watcher)
    ray.kill(store)


def _copy_slowly(source: Path, target: Path, pieces: int = 6, pause: float = 0.6,
                 stall: float = 2.5) -> float:
    """Write `source` to `target` in pieces, holding it open throughout, with one stall longer
    than the settle time halfway; returns when the last byte was written (time.time())."""
    data = source.read_bytes()
    step = len(data) // pieces + 1
    with target.open("wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i:i + step])
            fh.flush()
            time.sleep(stall if i == step * (pieces // 2) else pause)
        last = time.time()
    return last


def test_a_slow_copy_is_classified_once_after_it_is_complete(watched: Watched) -> None:
    assert watched.jobs() == []
    target = watched.inbox / "slow.mp4"
    last_write = _copy_slowly(watched.source, target)
    assert watched.jobs() == []  # nothing while it was being written, stall included
    deadline = time.monotonic() + 30
    while not watched.jobs():
        assert time.monotonic() < deadline, watched.status()
        time.sleep(0.2)
    watched.rounds_after()
    jobs = watched.jobs()
    assert len(jobs) == 1
    job = jobs[0]
    assert job["source"] == str(target) and job["source_kind"] == "file"
    assert job["created_at"] > last_write
    assert job["original_name"] == "slow.mp4"


def test_a_sub_folder_a_rename_and_a_copy(watched: Watched) -> None:
    before = {j["job_id"] for j in watched.jobs()}
    sub = watched.inbox / "campaign" / "week1"
    sub.mkdir(parents=True)
    shutil.copy(watched.other, sub / "nike.mp4")
    (watched.inbox / "slow.mp4").rename(watched.inbox / "renamed.mp4")
    shutil.copy(watched.source, sub / "copy-of-slow.mp4")
    watched.rounds_after(6)
    new = [j for j in watched.jobs() if j["job_id"] not in before]
    assert [j["source"] for j in new] == [str(sub / "nike.mp4")]


def test_restarts_of_the_watcher_and_the_store_classify_nothing_again(watched: Watched
                                                                      ) -> None:
    before = sorted(j["job_id"] for j in watched.jobs())
    assert len(before) == 2
    ray.kill(watched.watcher, no_restart=False)
    st = watched.rounds_after(6)
    assert st["submitted"] == 0  # a new process: it saw every file and knew them all
    ray.kill(watched.store, no_restart=False)
    watched.rounds_after(6)
    assert sorted(j["job_id"] for j in watched.jobs()) == before


def test_results_are_written_when_the_job_finishes(watched: Watched) -> None:
    worker = WorkerStoreClient(watched.store)
    done = []
    while (claimed := worker.claim("w-test", 0.0)) is not None:
        result = {"brand": "ACME" if "nike" not in claimed["source"] else "NIKE",
                  "category_name": "Athletic Footwear", "industry_name": "Retail",
                  "confidence": 0.9, "reasoning": "end card"}
        assert worker.complete(claimed["job_id"], "w-test", result, None, None)
        done.append(claimed)
    assert len(done) == 2
    deadline = time.monotonic() + 30
    csv_path = watched.results / CSV_NAME
    while len(list(watched.results.glob("*.json"))) < 2 or not csv_path.exists() or \
            len(csv_path.read_text().splitlines()) < 3:
        assert time.monotonic() < deadline, watched.status()
        time.sleep(0.2)
    docs = {json.loads(p.read_text())["job_id"]: json.loads(p.read_text())
            for p in watched.results.glob("*.json")}
    assert set(docs) == {d["job_id"] for d in done}
    for doc in docs.values():
        assert doc["status"] == "completed" and doc["result"]["reasoning"] == "end card"
        assert doc["brand"] in ("ACME", "NIKE") and len(doc["watch"]["sha256"]) == 64
        assert doc["settings"] == {} and doc["url"] == doc["watch"]["path"]
    rows = list(csv.DictReader(csv_path.open()))
    assert sorted(r["brand"] for r in rows) == ["ACME", "NIKE"]
    # Written once, also across a restart of the watcher.
    ray.kill(watched.watcher, no_restart=False)
    watched.rounds_after(6)
    assert len(list(csv.DictReader(csv_path.open()))) == 2
