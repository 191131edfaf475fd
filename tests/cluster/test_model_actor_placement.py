"""Where each node's model actor runs, on a real multi-node Ray (ray.cluster_utils.Cluster):
on a node started with num_gpus=1 it takes a GPU and lands there (Ray schedules by the resource,
with or without a device), on a CPU node it takes none, and a node that joins later gets its own.

The CUDA path itself needs a device: tests/models/test_cuda.py runs it where there is one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ray
from cluster_harness import wait_for
from ray.cluster_utils import Cluster

from adclf.cluster.nodes import NODE_LABEL, NodeRegistry
from adclf.config import Settings
from adclf.models.actor import model_actor_name
from adclf.store.client import NAMESPACE


@pytest.fixture(scope="module")
def gpu_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Path]]:
    os.environ["RAY_TMPDIR"] = tempfile.mkdtemp(prefix="adclf-gpu-", dir="/tmp")
    cluster = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 1, "labels": {NODE_LABEL: "cpu-a"}, "include_dashboard": False})
    cluster.add_node(num_cpus=1, num_gpus=1, labels={NODE_LABEL: "gpu-b"})
    ray.init(address=cluster.address, namespace="adclf-gpu-tests", log_to_driver=False)
    yield cluster, tmp_path_factory.mktemp("gpu")
    ray.shutdown()
    cluster.shutdown()


def _ray_node(label: str) -> dict[str, Any]:
    return next(n for n in ray.nodes()
                if n["Alive"] and (n.get("Labels") or {}).get(NODE_LABEL) == label)


def _device(node: str) -> dict[str, Any]:
    handle = ray.get_actor(model_actor_name(node), namespace=NAMESPACE)
    got: dict[str, Any] = ray.get(handle.device.remote(), timeout=120)
    return got


def test_model_actor_takes_the_gpu_of_a_gpu_node_and_none_elsewhere(
        gpu_cluster: tuple[Cluster, Path]) -> None:
    cluster, base = gpu_cluster
    settings = Settings(DATA_DIR=base / "data", WORKERS_PER_NODE=0)
    registry = NodeRegistry(settings)
    assert sorted(registry.reconcile()) == ["cpu-a", "gpu-b"]

    gpu = _device("gpu-b")
    assert gpu["ray_node_id"] == _ray_node("gpu-b")["NodeID"]
    assert gpu["gpu_ids"] == ["0"]  # Ray gave it the node's GPU
    if gpu["cuda_available"]:
        assert gpu["device"] == "cuda"
    else:  # this machine: a GPU by resource only, so the models stay on the CPU and say why
        assert gpu["device"] == "cpu" and "CUDA is not usable" in gpu["reason"], gpu
    # half the GPU: room for another GPU user (a VLM) beside the models
    wait_for("half of the GPU in use",
             lambda: ray.available_resources().get("GPU", 0.0) == 0.5, timeout=60)

    cpu = _device("cpu-a")
    assert cpu["ray_node_id"] == _ray_node("cpu-a")["NodeID"]
    assert cpu["gpu_ids"] == [] and cpu["device"] == "cpu"
    assert cpu["reason"] == "no GPU on this node"
    # glibc gives the actor's freed buffers back (adclf.models.actor.MODEL_ACTOR_ENV_VARS)
    environ = Path(f"/proc/{cpu['pid']}/environ").read_bytes().split(b"\0")
    assert b"MALLOC_TRIM_THRESHOLD_=1048576" in environ and b"MALLOC_ARENA_MAX=2" in environ


def test_a_node_that_joins_later_gets_its_model_actor(gpu_cluster: tuple[Cluster, Path]) -> None:
    cluster, base = gpu_cluster
    settings = Settings(DATA_DIR=base / "data", WORKERS_PER_NODE=0)
    registry = NodeRegistry(settings)
    registry.reconcile()
    cluster.add_node(num_cpus=1, labels={NODE_LABEL: "late-c"})
    started = wait_for("the new node to be ensured", registry.reconcile, timeout=120)
    assert started == ["late-c"]
    late = _device("late-c")
    assert late["ray_node_id"] == _ray_node("late-c")["NodeID"]
    assert late["node"] == "late-c"


def test_worker_mode_starts_no_model_actor(gpu_cluster: tuple[Cluster, Path]) -> None:
    cluster, base = gpu_cluster
    cluster.add_node(num_cpus=1, labels={NODE_LABEL: "plain-d"})
    settings = Settings(DATA_DIR=base / "data", WORKERS_PER_NODE=0, MODEL_ACTOR="worker")
    registry = NodeRegistry(settings)
    wait_for("plain-d to be ensured", lambda: "plain-d" in registry.reconcile()
             or "plain-d" in {k[0] for k in registry._ensured}, timeout=120)
    with pytest.raises(ValueError):
        ray.get_actor(model_actor_name("plain-d"), namespace=NAMESPACE)
