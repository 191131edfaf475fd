"""What compute each node has, measured on the node itself by a small Ray task."""

from __future__ import annotations

import os
import platform
from typing import Any

import ray

from adclf.cluster.nodes import AdclfNode
from adclf.models.actor import model_actor_name
from adclf.store.client import NAMESPACE


def _probe() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                            "machine": platform.machine(),
                            "ray_node_id": ray.get_runtime_context().get_node_id()}
    try:
        import torch

        cuda = torch.cuda.is_available()
        info.update(torch=torch.__version__, cuda_available=cuda,
                    gpu_count=torch.cuda.device_count() if cuda else 0,
                    gpus=[torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
                    if cuda else [], torch_threads=torch.get_num_threads())
    except Exception as exc:  # noqa: BLE001 - a diagnostic reports, never fails
        info["torch_error"] = str(exc)
    try:
        import onnxruntime

        info["onnxruntime_providers"] = onnxruntime.get_available_providers()
    except Exception as exc:  # noqa: BLE001
        info["onnxruntime_error"] = str(exc)
    info["device"] = "cuda" if info.get("cuda_available") else "cpu"
    return info


probe_task = ray.remote(num_cpus=0)(_probe)


def device_refs(nodes: list[AdclfNode]) -> dict[str, Any]:
    return {n.name: probe_task.options(**n.placement()).remote() for n in nodes if n.alive}


def model_device_refs(nodes: list[AdclfNode]) -> dict[str, Any]:
    """The device each node's model actor runs its models on (nodes without one are left out:
    MODEL_ACTOR=worker, or not started yet)."""
    out: dict[str, Any] = {}
    for n in nodes:
        if not n.alive:
            continue
        try:
            handle = ray.get_actor(model_actor_name(n.name), namespace=NAMESPACE)
        except ValueError:
            continue
        out[n.name] = handle.device.remote()
    return out
