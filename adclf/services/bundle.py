"""The services of one ingress replica, built together over one node registry."""

from __future__ import annotations

import time
from dataclasses import dataclass

from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.services.batches import BatchService
from adclf.services.benchmarks import BenchmarkService
from adclf.services.catalogue import CatalogueService
from adclf.services.files import FileService
from adclf.services.jobs import JobService
from adclf.services.logs import LogService
from adclf.services.nodes import NodeService
from adclf.services.stores import Stores
from adclf.services.submissions import SubmissionService
from adclf.services.system import SystemService
from adclf.services.uploads import UploadService


@dataclass(frozen=True)
class Services:
    settings: Settings
    submissions: SubmissionService
    uploads: UploadService
    jobs: JobService
    files: FileService
    nodes: NodeService
    catalogue: CatalogueService
    system: SystemService
    logs: LogService
    benchmarks: BenchmarkService
    batches: BatchService


def build_services(settings: Settings, registry: NodeRegistry, local_node: str,
                   started_at: float | None = None, here: str | None = None) -> Services:
    """`local_node`: the adclf node this replica runs on (the default for node-local views);
    `here`: its Ray node id (default: asked from Ray when an upload needs it)."""
    stores = Stores(registry)
    submissions = SubmissionService(settings, stores)
    nodes = NodeService(registry, stores, local_node,
                        time.time() if started_at is None else started_at,
                        settings.DEFAULT_PROVIDER)
    jobs = JobService(stores, local_node)
    return Services(
        settings=settings,
        submissions=submissions,
        uploads=UploadService(settings, stores, submissions, here),
        jobs=jobs,
        files=FileService(stores),
        nodes=nodes,
        catalogue=CatalogueService(settings),
        system=SystemService(nodes, settings.WORKERS_PER_NODE),
        logs=LogService(),
        benchmarks=BenchmarkService(settings, stores, submissions, jobs),
        batches=BatchService(settings, registry),
    )
