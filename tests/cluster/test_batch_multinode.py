"""A batch on a two-node ray.cluster_utils.Cluster (nodes labelled node-a and node-b, one CPU
each): the Ray Data actor pool spreads over both nodes and both classify ads."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cluster_harness import AdclfCluster

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "batch"))
from batch_support import make_ads, make_bad_inputs  # noqa: E402

from adclf.batch.inputs import list_inputs  # noqa: E402
from adclf.batch.run import BatchOptions, run_batch  # noqa: E402
from adclf.config import Settings  # noqa: E402


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdclfCluster]:
    ac = AdclfCluster(tmp_path_factory.mktemp("batch-cluster"), {})
    try:
        ac.start(["node-a", "node-b"])  # Ray only: a batch needs no Serve app
        yield ac
    finally:
        ac.shutdown()


def test_both_nodes_classify(two_nodes: AdclfCluster, tmp_path: Path) -> None:
    folder = two_nodes.roots / "ads"
    ads = make_ads(folder, 6)
    make_bad_inputs(folder)
    settings = Settings(DATA_DIR=str(tmp_path / "data"),
                        ALLOWED_FOLDER_ROOTS=[str(two_nodes.roots)])
    inputs = list_inputs(str(folder), settings, restrict=True)
    # one classify actor fits per one-CPU node, so a pool of two must use both nodes
    progress = run_batch(inputs, tmp_path / "results.parquet", settings,
                         BatchOptions(concurrency=2))
    table = pq.read_table(tmp_path / "results.parquet").to_pylist()
    assert len(table) == 8 and progress.failed == 2
    classified = [r for r in table if r["status"] == "completed"]
    assert sorted(r["input"] for r in classified) == sorted(str(p) for p in ads)
    per_node = {n: sum(1 for r in classified if r["node"] == n) for n in ("node-a", "node-b")}
    assert all(per_node.values()), f"rows per node: {per_node}"
    assert sum(1 for r in classified if r["brand"].lower() in r["input"]) >= 5
