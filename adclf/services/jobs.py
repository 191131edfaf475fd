"""Use cases around jobs: validate, place on a node, store; read, stream and delete by owner."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from adclf.cluster.nodes import NodeRegistry
from adclf.cluster.placement import NodeLoad, assign
from adclf.config import Settings
from adclf.domain import VIDEO_EXTENSIONS, JobSettings
from adclf.errors import BadInput, NotFound, TooLarge, Unavailable
from adclf.store.client import StoreClient

_JOB_ID = re.compile(
    r"^(?P<node>[a-z0-9][a-z0-9-]{0,62})-"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def owner_of(job_id: str) -> str:
    match = _JOB_ID.match(job_id)
    if not match:
        raise NotFound(f"job {job_id} not found (not an adclf job id)")
    return match.group("node")


class JobService:
    def __init__(self, settings: Settings, registry: NodeRegistry) -> None:
        self.settings = settings
        self.registry = registry
        self._stores: dict[str, StoreClient] = {}

    # ---- stores --------------------------------------------------------------------------------
    def store(self, node: str) -> StoreClient:
        known = self.registry.get(node)
        if known is None:
            raise NotFound(f"no adclf node named {node!r}")
        if not known.alive:
            raise Unavailable(f"node {node} is unavailable (dead in Ray); its jobs can be read "
                              "again when it returns")
        client = self._stores.get(node)
        if client is None:
            client = StoreClient.lookup(node)
            self._stores[node] = client
        return client

    def store_for_job(self, job_id: str) -> StoreClient:
        node = owner_of(job_id)
        try:
            return self.store(node)
        except NotFound:
            raise NotFound(f"job {job_id} not found (no node {node!r})") from None

    async def loads(self) -> tuple[list[NodeLoad], list[str]]:
        """Loads of nodes that accept work, and the names of nodes in maintenance."""
        candidates = [n for n in self.registry.nodes() if n.alive]
        stats = await asyncio.gather(
            *(self.store(n.name).stats() for n in candidates), return_exceptions=True)
        loads, maintenance = [], []
        for node, st in zip(candidates, stats, strict=True):
            if isinstance(st, BaseException):
                continue
            if st["maintenance"]:
                maintenance.append(node.name)
                continue
            workers = st["workers_active"] or self.settings.WORKERS_PER_NODE
            loads.append(NodeLoad(node.name, st["jobs_queued"] + st["jobs_processing"], workers))
        return loads, maintenance

    async def _owners(self, count: int, exclude: frozenset[str] = frozenset()) -> list[str]:
        loads, maintenance = await self.loads()
        loads = [load for load in loads if load.name not in exclude]
        if not loads:
            why = ("all nodes are in maintenance" if maintenance else "no adclf node is alive")
            raise Unavailable(f"cannot accept jobs: {why}; try again later")
        return assign(count, loads)

    async def create(self, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        created: list[dict[str, Any] | None] = [None] * len(specs)
        todo = list(range(len(specs)))
        failed: frozenset[str] = frozenset()
        while todo:
            owners = await self._owners(len(todo), exclude=failed)
            by_owner: dict[str, list[int]] = {}
            for i, owner in zip(todo, owners, strict=True):
                by_owner.setdefault(owner, []).append(i)
            results = await asyncio.gather(*(
                self.store(owner).create_jobs([specs[i] for i in idx])
                for owner, idx in by_owner.items()), return_exceptions=True)
            todo = []
            for (owner, idx), rows in zip(by_owner.items(), results, strict=True):
                if isinstance(rows, Unavailable):
                    # The owner died between placement and creation (Ray had not noticed yet):
                    # place these jobs again on the other nodes rather than fail the request.
                    failed |= {owner}
                    todo += idx
                    continue
                if isinstance(rows, BaseException):
                    raise rows
                for i, row in zip(idx, rows, strict=True):
                    created[i] = row
        return [{"job_id": r["job_id"], "status": r["status"]} for r in created if r]

    # ---- submissions ---------------------------------------------------------------------------
    async def submit_urls(self, mode: str, urls: list[str], settings: JobSettings
                          ) -> list[dict[str, Any]]:
        from adclf.net.urls import validate_url

        if len(urls) > self.settings.MAX_URLS_PER_REQUEST:
            raise TooLarge(f"{len(urls)} URLs in one request; the limit is "
                           f"{self.settings.MAX_URLS_PER_REQUEST} (MAX_URLS_PER_REQUEST)")
        clean = [validate_url(u.strip(), self.settings) for u in urls]
        job_settings = settings.model_dump(exclude_none=True)
        return await self.create([
            {"mode": mode, "source_kind": "url", "source": u, "settings": job_settings}
            for u in clean])

    async def submit_filepath(self, mode: str, raw_path: str, settings: JobSettings
                              ) -> dict[str, Any]:
        from adclf.security.paths import resolve_allowed_path

        path = resolve_allowed_path(raw_path, self.settings, want="file")
        if path.suffix.lower() not in VIDEO_EXTENSIONS:
            raise BadInput(f"{path.name} is not a video file (expected one of "
                           f"{', '.join(VIDEO_EXTENSIONS)})")
        return (await self.create([{"mode": mode, "source_kind": "file", "source": str(path),
                                    "original_name": path.name,
                                    "settings": settings.model_dump(exclude_none=True)}]))[0]

    async def submit_folder(self, mode: str, raw_path: str, settings: JobSettings,
                            recursive: bool = False) -> list[dict[str, Any]]:
        from adclf.security.paths import is_within, resolve_allowed_path

        folder = resolve_allowed_path(raw_path, self.settings, want="dir")
        pattern = "**/*" if recursive else "*"
        files = sorted(
            p.resolve() for p in folder.glob(pattern)
            if p.is_file() and p.suffix.lower() in VIDEO_EXTENSIONS
            and any(is_within(p.resolve(), root) for root in self.settings.ALLOWED_FOLDER_ROOTS))
        if not files:
            raise BadInput(f"no video files ({', '.join(VIDEO_EXTENSIONS)}) in {folder}")
        if len(files) > self.settings.MAX_URLS_PER_REQUEST:
            raise TooLarge(f"{len(files)} videos in the folder; the limit per request is "
                           f"{self.settings.MAX_URLS_PER_REQUEST}")
        job_settings = settings.model_dump(exclude_none=True)
        return await self.create([
            {"mode": mode, "source_kind": "file", "source": str(p), "original_name": p.name,
             "settings": job_settings} for p in files])

    async def submit_upload(self, mode: str, owner: str, stored_path: str, original_name: str,
                            settings: JobSettings) -> dict[str, Any]:
        rows = await self.store(owner).create_jobs([{
            "mode": mode, "source_kind": "upload", "source": stored_path,
            "original_name": original_name, "settings": settings.model_dump(exclude_none=True)}])
        return {"job_id": rows[0]["job_id"], "status": rows[0]["status"]}

    async def pick_owner(self) -> str:
        return (await self._owners(1))[0]

    # ---- reads ---------------------------------------------------------------------------------
    async def get(self, job_id: str) -> dict[str, Any]:
        return await self.store_for_job(job_id).get(job_id)

    async def delete(self, job_ids: list[str]) -> dict[str, list[str]]:
        by_node: dict[str, list[str]] = {}
        missing: list[str] = []
        for job_id in dict.fromkeys(job_ids):
            try:
                by_node.setdefault(owner_of(job_id), []).append(job_id)
            except NotFound:
                missing.append(job_id)
        deleted: list[str] = []
        unavailable: list[str] = []
        for node, ids in by_node.items():
            try:
                got = await self.store(node).delete(ids)
            except NotFound:
                missing += ids
                continue
            except Unavailable:
                unavailable += ids
                continue
            deleted += got["deleted"]
            missing += got["not_found"]
        return {"deleted": deleted, "not_found": missing, "unavailable": unavailable}

    async def list_node(self, node: str, statuses: list[str] | None, query: str | None,
                        limit: int, offset: int) -> dict[str, Any]:
        return await self.store(node).list_jobs(statuses, query, limit, offset)

    async def list_cluster(self, statuses: list[str] | None, query: str | None, limit: int,
                           offset: int) -> dict[str, Any]:
        """All nodes' jobs merged newest first; dead or silent nodes are reported, not fatal."""
        nodes = self.registry.nodes()
        unavailable: list[dict[str, str]] = []
        live = []
        for n in nodes:
            if n.alive:
                live.append(n.name)
            else:
                unavailable.append({"node": n.name, "reason": "node is dead in Ray"})
        window = offset + limit
        pages = await asyncio.gather(*(
            asyncio.wait_for(self.store(name).list_jobs(statuses, query, window, 0), 10)
            for name in live), return_exceptions=True)
        rows: list[dict[str, Any]] = []
        total = 0
        for name, page in zip(live, pages, strict=True):
            if isinstance(page, BaseException):
                unavailable.append({"node": name, "reason": f"job store did not answer: {page}"})
                continue
            rows += page["jobs"]
            total += page["total"]
        rows.sort(key=lambda r: (r["updated_at"], r["seq"]), reverse=True)
        return {"jobs": rows[offset:window], "total": total, "unavailable_nodes": unavailable}

    async def file(self, job_id: str, name: str) -> tuple[StoreClient, dict[str, Any]]:
        store = self.store_for_job(job_id)
        await store.get(job_id)
        info = await store.file_info(job_id, name)
        if info is None:
            raise NotFound(f"job {job_id} has no file {name!r}")
        return store, info


def local_path_hint(path: str) -> Path:
    return Path(path)
