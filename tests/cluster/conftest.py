"""Multi-node fixtures: one real Ray cluster of labelled nodes on this machine, adclf on Serve.

These tests need their own Ray connection, and a process can hold only one, so they run in their
own pytest process:

    .venv/bin/python -m pytest -q --ignore=tests/cluster    # everything else (one local Ray)
    .venv/bin/python -m pytest -q tests/cluster             # this folder alone

Collected together with other tests (a plain `pytest tests`), they are skipped with that advice
instead of fighting the session Ray of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cluster_harness import AdclfCluster

HERE = Path(__file__).resolve().parent
WORKERS_PER_NODE = 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mine = [i for i in items if HERE in Path(str(i.path)).resolve().parents]
    if not mine or len(mine) == len(items):
        return
    skip = pytest.mark.skip(reason="multi-node tests run in their own process: "
                                   "pytest tests/cluster (and pytest --ignore=tests/cluster)")
    for item in mine:
        item.add_marker(skip)


@pytest.fixture(scope="module")
def adclf_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdclfCluster]:
    """node-a (head) and node-b, one worker each, two ingress replicas, short leases."""
    base = tmp_path_factory.mktemp("cluster")
    settings = {
        "DATA_DIR": str(base / "data"), "ALLOWED_FOLDER_ROOTS": [str(base / "roots")],
        "WORKERS_PER_NODE": WORKERS_PER_NODE, "INGRESS_REPLICAS": 2,
        "LEASE_SECONDS": 5.0, "HEARTBEAT_SECONDS": 1.0, "MAX_ATTEMPTS": 3,
        "CLEANUP_ENABLED": False, "MAX_UPLOAD_MB": 5,
    }
    ac = AdclfCluster(base, settings)
    try:
        ac.start(["node-a", "node-b"])
        ac.deploy()
        ac.wait_workers(["node-a", "node-b"], WORKERS_PER_NODE)
        yield ac
    finally:
        ac.shutdown()
