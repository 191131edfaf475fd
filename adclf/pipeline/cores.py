"""How many CPU threads one job's work may use."""

from __future__ import annotations

import os

from adclf.config import Settings


def threads_per_job(settings: Settings, cpus: float | None = None) -> int:
    """The node's cores shared by its parallel workers. `cpus` is the node's CPU count as the
    scheduler sees it (several Ray nodes may share one machine)."""
    cores = int(cpus) if cpus else (os.cpu_count() or 1)
    return max(1, cores // max(1, settings.WORKERS_PER_NODE))
