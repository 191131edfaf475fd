"""Watch folders in the service: one watcher actor per node with WATCH_FOLDERS there.

The watcher runs adclf.watch's engine over the node's own folders; its ledger is the node's
store (adclf.store.watch_ledger, through StoreClient), so a restart of the watcher, of the store
or of the whole node classifies nothing twice. Jobs are created in the node's own store: the
files are on this node's disk, so its workers are the ones that can read them.

Started by cluster.nodes.NodeRegistry through its node hooks (`ensure_watcher`); the cluster
layer does not import the services. A (re)started watcher starts its loop itself, on its own
thread, in __init__: no call is needed after Ray restarts it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import ray

from adclf.cluster.nodes import AdclfNode, node_actor_options
from adclf.config import Settings
from adclf.errors import BadInput
from adclf.services import views
from adclf.services.node_loop import NodeLoop
from adclf.store.client import StoreClient
from adclf.watch.engine import WatchEngine
from adclf.watch.ledger import LedgerEntry, Rejected
from adclf.watch.results import ResultsWriter, parse_results
from adclf.watch.scanner import FolderScanner

log = logging.getLogger("adclf.watch")


def watcher_actor_name(node: str) -> str:
    return f"adclf-watch-{node}"


def job_document(row: dict[str, Any]) -> dict[str, Any]:
    """The job as GET /jobs/{id} shows it, plus `result` (GET /jobs/{id}/result) when done."""
    result = None
    if row.get("status") == "completed":
        result = {k: v for k, v in views.result_view(row).items() if k not in ("job_id",
                                                                              "status")}
    return {**views.job_view(row), "result": result}


class StoreTarget:
    """The engine's door to the node's store: claims, the ledger, jobs."""

    def __init__(self, store: StoreClient, spec: dict[str, Any]) -> None:
        self.store = store
        self.spec = spec

    async def accepting(self) -> bool:
        return not (await self.store.stats())["maintenance"]

    async def claim(self, sha256: str, path: Path) -> tuple[LedgerEntry, bool]:
        # All of a node's watched files are one submission in the fair queue: a busy folder
        # takes its turn beside the other batches instead of one turn per file.
        spec = {"batch_id": "watch", **self.spec, "source_kind": "file", "source": str(path),
                "original_name": path.name}
        try:
            got = await self.store.watch_claim(sha256, str(path), spec)
        except BadInput as exc:
            raise Rejected(str(exc)) from exc
        return LedgerEntry.from_row(got["entry"]), bool(got["created"])

    async def unfinished(self) -> list[LedgerEntry]:
        return [LedgerEntry.from_row(r) for r in await self.store.watch_unfinished()]

    async def jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any] | None]:
        rows = {r["job_id"]: r for r in await self.store.get_many(job_ids)}
        return {j: job_document(rows[j]) if j in rows else None for j in job_ids}

    async def mark_written(self, sha256: str, status: str) -> None:
        await self.store.watch_mark_written(sha256, status)


def build_engine(node: str, settings: Settings, store: StoreClient) -> WatchEngine:
    mode, folder = parse_results(settings.WATCH_RESULTS)
    results = None if mode == "off" else ResultsWriter(mode, folder)
    scanner = FolderScanner(settings.watch_folders_for(node), settings.WATCH_SETTLE_SECONDS,
                            recursive=settings.WATCH_RECURSIVE,
                            roots=list(settings.ALLOWED_FOLDER_ROOTS),
                            skip=[folder] if folder is not None else [])

    def report(what: str, path: str, entry: LedgerEntry | None, job: Any) -> None:
        if what != "known":
            log.info("watch %s: %s %s (%s)", node, what, path, entry.job_id if entry else "")

    return WatchEngine(scanner, StoreTarget(store, {"mode": "pipeline", "settings": {}}),
                       results, report, track=results is not None)


class FolderWatcher(NodeLoop):
    """The Ray actor (WatcherActor) that watches one node's folders. The loop runs on its own
    thread and event loop, started in __init__: a watcher that Ray restarts is watching again
    without anyone calling it."""

    thread_name = "adclf-watch"
    engine: WatchEngine | None = None

    async def run_with(self, store: StoreClient) -> None:
        self.engine = build_engine(self.node, self.settings, store)
        log.info("watching %s on %s", ", ".join(map(str, self.engine.scanner.folders)),
                 self.node)
        await self.engine.run(self.settings.WATCH_SCAN_SECONDS)

    def status(self) -> dict[str, Any]:
        if self.engine is None:
            return {"node": self.node, "running": False}
        return {"node": self.node, "running": True, **self.engine.status()}


WatcherActor = ray.remote(FolderWatcher)


def ensure_watcher(node: AdclfNode, settings: Settings) -> None:
    """A NodeHook: the node's watcher, when WATCH_FOLDERS has folders for it."""
    if not settings.watch_folders_for(node.name):
        return
    WatcherActor.options(name=watcher_actor_name(node.name), num_cpus=0,
                         **node_actor_options(node)).remote(node.name, settings)
