"""Submitting jobs: check the sources, place each job on a node, create it in that node's store."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from adclf.cluster.placement import NodeLoad, assign
from adclf.config import Settings
from adclf.domain import DEFAULT_PRIORITY, PRIORITIES, VIDEO_EXTENSIONS, JobSettings, Priority
from adclf.errors import BadInput, TooLarge, Unavailable
from adclf.services.stores import Stores
from adclf.webhooks.targets import callback_for

NEEDS_LLM = "agent mode needs an LLM provider"


class AgentNeedsLLM(BadInput):
    """mode=agent on the embedded provider: refused at submit time, never run as a pipeline."""

    http_status = 422


class BadPriority(BadInput):
    http_status = 422


def check_priority(value: str | None) -> Priority:
    """A priority from a form field (JSON bodies are checked by their model); empty: normal."""
    for priority in PRIORITIES:
        if (value or DEFAULT_PRIORITY) == priority:
            return priority
    raise BadPriority(f"priority must be one of {', '.join(PRIORITIES)}, not {str(value)[:40]!r}")


class SubmissionService:
    def __init__(self, settings: Settings, stores: Stores) -> None:
        self.settings = settings
        self.stores = stores

    # ---- placement -----------------------------------------------------------------------------
    async def loads(self) -> tuple[list[NodeLoad], list[str]]:
        """Loads of nodes that accept work, and the names of nodes in maintenance."""
        candidates = self.stores.live_nodes()
        stats = await asyncio.gather(
            *(self.stores.for_node(n.name).stats() for n in candidates), return_exceptions=True)
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

    async def create(self, specs: list[dict[str, Any]], priority: Priority = DEFAULT_PRIORITY,
                     batch_id: str | None = None) -> list[dict[str, Any]]:
        """Every job of one call is one batch: the stores give batches turns (store.fair_queue),
        and the batch id is the same on every node the jobs are placed on (`batch_id`: a given
        one, e.g. a benchmark suite's)."""
        batch = batch_id or uuid.uuid4().hex
        specs = [{**spec, "priority": priority, "batch_id": batch} for spec in specs]
        created: list[dict[str, Any] | None] = [None] * len(specs)
        todo = list(range(len(specs)))
        failed: frozenset[str] = frozenset()
        while todo:
            owners = await self._owners(len(todo), exclude=failed)
            by_owner: dict[str, list[int]] = {}
            for i, owner in zip(todo, owners, strict=True):
                by_owner.setdefault(owner, []).append(i)
            results = await asyncio.gather(*(
                self.stores.for_node(owner).create_jobs([specs[i] for i in idx])
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
    def check_mode(self, mode: str, settings: JobSettings) -> None:
        provider = settings.provider or self.settings.DEFAULT_PROVIDER
        if mode == "agent" and provider == "embedded":
            raise AgentNeedsLLM(f"{NEEDS_LLM}: set provider to 'ollama' or 'openai' (this job "
                                "would use 'embedded', which cannot call tools)")

    async def submit_urls(self, mode: str, urls: list[str], settings: JobSettings,
                          callback_url: str | None = None,
                          priority: Priority = DEFAULT_PRIORITY) -> list[dict[str, Any]]:
        """`callback_url` (all submit methods): where the finished job is POSTed, signed;
        None means WEBHOOK_DEFAULT_URL, "" none (adclf.webhooks.targets). `priority` (all
        submit methods): the jobs' queue priority; each call's jobs are one batch."""
        self.check_mode(mode, settings)
        callback = callback_for(callback_url, self.settings)
        from adclf.net.urls import validate_url

        if len(urls) > self.settings.MAX_URLS_PER_REQUEST:
            raise TooLarge(f"{len(urls)} URLs in one request; the limit is "
                           f"{self.settings.MAX_URLS_PER_REQUEST} (MAX_URLS_PER_REQUEST)")
        clean = [validate_url(u.strip(), self.settings) for u in urls]
        job_settings = settings.model_dump(exclude_none=True)
        return await self.create([
            {"mode": mode, "source_kind": "url", "source": u, "settings": job_settings,
             "callback_url": callback} for u in clean], priority)

    async def submit_filepath(self, mode: str, raw_path: str, settings: JobSettings,
                              callback_url: str | None = None,
                              priority: Priority = DEFAULT_PRIORITY) -> dict[str, Any]:
        self.check_mode(mode, settings)
        callback = callback_for(callback_url, self.settings)
        from adclf.security.paths import resolve_allowed_path

        path = resolve_allowed_path(raw_path, self.settings, want="file")
        if path.suffix.lower() not in VIDEO_EXTENSIONS:
            raise BadInput(f"{path.name} is not a video file (expected one of "
                           f"{', '.join(VIDEO_EXTENSIONS)})")
        return (await self.create([{"mode": mode, "source_kind": "file", "source": str(path),
                                    "original_name": path.name,
                                    "settings": settings.model_dump(exclude_none=True),
                                    "callback_url": callback}], priority))[0]

    async def submit_folder(self, mode: str, raw_path: str, settings: JobSettings,
                            recursive: bool = False, callback_url: str | None = None,
                            priority: Priority = DEFAULT_PRIORITY) -> list[dict[str, Any]]:
        self.check_mode(mode, settings)
        callback = callback_for(callback_url, self.settings)
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
             "settings": job_settings, "callback_url": callback} for p in files], priority)

    async def submit_upload(self, mode: str, owner: str, stored_path: str, original_name: str,
                            settings: JobSettings, callback_url: str | None = None,
                            priority: Priority = DEFAULT_PRIORITY) -> dict[str, Any]:
        self.check_mode(mode, settings)
        callback = callback_for(callback_url, self.settings)
        rows = await self.stores.for_node(owner).create_jobs([{
            "mode": mode, "source_kind": "upload", "source": stored_path,
            "original_name": original_name, "settings": settings.model_dump(exclude_none=True),
            "callback_url": callback, "priority": priority}])
        return {"job_id": rows[0]["job_id"], "status": rows[0]["status"]}

    async def pick_owner(self) -> str:
        return (await self._owners(1))[0]
