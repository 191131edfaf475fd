"""The base of the small per-node actors that run one loop against their node's store (the folder
watcher, the webhook deliverer).

The loop starts in __init__, on its own thread and event loop: an actor that Ray restarts is
running again without anyone calling it. It waits for the node's store (which may itself be
starting), then hands it to `run_with`."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from adclf.config import Settings
from adclf.store.client import StoreClient


class NodeLoop:
    thread_name = "adclf-node-loop"

    def __init__(self, node: str, settings: Settings) -> None:
        self.node = node
        self.settings = settings
        threading.Thread(target=asyncio.run, args=(self._run(),), name=self.thread_name,
                         daemon=True).start()

    async def _run(self) -> None:
        store = None
        while store is None:
            try:
                store = StoreClient.lookup(self.node)
            except Exception:  # noqa: BLE001 - the store is being created: ask again
                await asyncio.sleep(1.0)
        await self.run_with(store)

    async def run_with(self, store: StoreClient) -> None:
        raise NotImplementedError

    def status(self) -> dict[str, Any]:
        raise NotImplementedError
