"""The original's system diagnostics: this host's profile (CPU, memory, accelerator), the
worker concurrency of every node, and its folder watcher (not in-process here: it says so)."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime
from typing import Any

from adclf.services.nodes import NodeService


def _hardware() -> dict[str, Any]:
    import psutil

    mem = psutil.virtual_memory()
    info: dict[str, Any] = {
        "cpu_count_logical": psutil.cpu_count(logical=True) or os.cpu_count() or 1,
        "cpu_count_physical": psutil.cpu_count(logical=False) or 1,
        "total_ram_mb": round(mem.total / 2**20), "used_ram_mb": round(mem.used / 2**20),
        "free_ram_mb": round(mem.available / 2**20), "memory_percent": mem.percent,
        "accelerator": "cpu", "device_name": "CPU", "cuda_available": False,
        "mps_available": False, "total_vram_mb": None, "free_vram_mb": None,
    }
    try:
        import torch

        if torch.cuda.is_available():
            free, total = torch.cuda.mem_get_info()
            info.update(accelerator="cuda", device_name=torch.cuda.get_device_name(0),
                        cuda_available=True, total_vram_mb=round(total / 2**20),
                        free_vram_mb=round(free / 2**20))
    except Exception:  # noqa: BLE001, S110 - no torch or no GPU: the CPU profile stands
        pass
    return info


class SystemService:
    def __init__(self, nodes: NodeService, workers_per_node: int) -> None:
        self.nodes = nodes
        self.workers_per_node = workers_per_node

    async def profile(self) -> dict[str, Any]:
        """The original's /api/system/profile for the host of this replica."""
        hardware = await asyncio.to_thread(_hardware)
        matrix = [{"model": name, "accelerator": "cpu", "offline": True}
                  for name in ("embedded (MiniLM + MobileCLIP)", "rapidocr", "tesseract")]
        return {"timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "node": self.nodes.local_node, "hardware": hardware,
                "capability_matrix": matrix, "warnings": []}

    async def concurrency(self) -> dict[str, Any]:
        """Per node: configured and active workers, queued and running jobs."""
        views = await self.nodes.views()
        per_node = {v["node"]: {"workers_configured": self.workers_per_node,
                                "workers_active": v["workers"], "queued": v["queued"],
                                "processing": v["processing"],
                                "accepting_new_jobs": v["accepting_new_jobs"]} for v in views}
        return {"node": self.nodes.local_node, "timestamp": time.time(),
                "workers_per_node": self.workers_per_node,
                "workers_active": sum(n["workers_active"] for n in per_node.values()),
                "nodes": per_node}

    @staticmethod
    async def watcher() -> dict[str, Any]:
        """The original's in-process folder watcher does not exist here: adclf's watch folders
        run as per-node actors configured by the WATCH_* settings."""
        return {"enabled": False, "running": False, "watch_dirs": [],
                "reason": "no in-process watcher: adclf's watch folders run per node "
                          "(WATCH_* settings); folders can also be sent to POST /jobs/by-folder"}
