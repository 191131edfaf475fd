"""Ray's view of the cluster, in adclf terms: which Ray nodes are adclf nodes, and their actors.

A Ray node is an adclf node when it carries the label `adclf-node=<name>` (`ray start --labels`).
A cluster with no labelled node (plain `serve run` on one machine) has one adclf node: the head,
named by NODE_NAME."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ray

from adclf.config import Settings
from adclf.models.actor import MODEL_ACTOR_ENV_VARS, ModelActor, model_actor_name
from adclf.store.actor import JobStore
from adclf.store.client import NAMESPACE, store_actor_name
from adclf.workers.worker import Worker, worker_actor_name

log = logging.getLogger("adclf.cluster")

NODE_LABEL = "adclf-node"

# "reads": one thread of its own for job polls (StoreClient.get), beside the main loop.
JobStoreActor = ray.remote(concurrency_groups={"reads": 1})(JobStore)  # type: ignore[call-overload]  # documented option, missing from Ray's overloads
WorkerActor = ray.remote(Worker)
ModelActorCls = ray.remote(ModelActor)


@dataclass
class AdclfNode:
    name: str
    node_id: str
    alive: bool
    labelled: bool
    address: str = ""
    resources: dict[str, float] = field(default_factory=dict)

    def placement(self) -> dict[str, Any]:
        """Actor options that pin an actor to this node (and follow the name across restarts)."""
        if self.labelled:
            return {"label_selector": {NODE_LABEL: self.name}}
        return {}

    def public(self) -> dict[str, Any]:
        res = self.resources
        return {
            "node": self.name, "ray_node_id": self.node_id, "alive": self.alive,
            "address": self.address,
            "resources": {"CPU": res.get("CPU", 0.0), "GPU": res.get("GPU", 0.0),
                          "memory": res.get("memory", 0.0)},
        }


def discover(settings: Settings) -> list[AdclfNode]:
    raw = ray.nodes()
    labelled: dict[str, AdclfNode] = {}
    for n in raw:
        name = (n.get("Labels") or {}).get(NODE_LABEL)
        if not name:
            continue
        node = AdclfNode(name, n["NodeID"], bool(n["Alive"]), True, n.get("NodeManagerAddress", ""),
                         dict(n.get("Resources") or {}))
        # A restarted node shows twice (dead old incarnation, live new one): keep the live one.
        if name not in labelled or (node.alive and not labelled[name].alive):
            labelled[name] = node
    if labelled:
        return sorted(labelled.values(), key=lambda x: x.name)
    alive = [n for n in raw if n["Alive"]]
    head = next((n for n in alive if "node:__internal_head__" in (n.get("Resources") or {})),
                alive[0] if alive else None)
    if head is None:
        return []
    return [AdclfNode(settings.NODE_NAME, head["NodeID"], True, False,
                      head.get("NodeManagerAddress", ""), dict(head.get("Resources") or {}))]


def node_actor_options(node: AdclfNode) -> dict[str, Any]:
    """Options of every per-node actor: named in adclf's namespace, outliving the ingress,
    restarted by Ray, pinned to the node."""
    return {"namespace": NAMESPACE, "lifetime": "detached", "get_if_exists": True,
            "max_restarts": -1, **node.placement()}


# More per-node actors from the layers above (services.watch's folder watcher): called with each
# node after its store and workers are ensured, and as idempotent as ensure_node_actors.
NodeHook = Callable[[AdclfNode, Settings], None]


def ensure_node_actors(node: AdclfNode, settings: Settings) -> None:
    """Create (or find) the node's store, model actor and workers. Idempotent across ingress
    replicas."""
    common = node_actor_options(node)
    # The store is I/O-bound and must always be schedulable, hence no CPU reservation.
    JobStoreActor.options(name=store_actor_name(node.name), num_cpus=0, max_concurrency=1000,
                          **common).remote(node.name, settings)
    has_gpu = node.resources.get("GPU", 0) >= 1
    # Model inference from several threads makes glibc open an arena per thread; two arenas keep
    # a worker's resident memory close to what the models need.
    worker_env = {"env_vars": {"MALLOC_ARENA_MAX": "2", "HF_HUB_OFFLINE": "1",
                               "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}}
    if settings.MODEL_ACTOR == "node":
        # The node's models in one actor; on a GPU node it takes half a GPU (room for a VLM
        # beside it) and runs them on CUDA. No CPU reservation, as the workers: they share the
        # node's cores by turns, the scheduler must not keep either from starting.
        ModelActorCls.options(name=model_actor_name(node.name), num_cpus=0,
                              num_gpus=0.5 if has_gpu else 0, max_concurrency=1000,
                              runtime_env={"env_vars": {**worker_env["env_vars"],
                                                        **MODEL_ACTOR_ENV_VARS}}, **common
                              ).remote(node.name, settings, node.resources.get("CPU"))
        gpu = 0.0  # the workers only decode
    else:
        gpu = 0.5 if has_gpu else 0
    for i in range(settings.WORKERS_PER_NODE):
        WorkerActor.options(name=worker_actor_name(node.name, i), num_cpus=0, num_gpus=gpu,
                            max_concurrency=4, runtime_env=worker_env, **common
                            ).remote(node.name, i, settings)


class NodeRegistry:
    """Cached node discovery plus actor reconciliation; one per ingress replica."""

    def __init__(self, settings: Settings, ttl: float = 1.0,
                 node_hooks: Sequence[NodeHook] = ()) -> None:
        self.settings = settings
        self.ttl = ttl
        self.node_hooks = list(node_hooks)
        self._cached: list[AdclfNode] = []
        self._at = 0.0
        self._ensured: set[tuple[str, str]] = set()

    def nodes(self, fresh: bool = False) -> list[AdclfNode]:
        if fresh or time.monotonic() - self._at > self.ttl:
            self._cached = discover(self.settings)
            self._at = time.monotonic()
        return self._cached

    def get(self, name: str) -> AdclfNode | None:
        return next((n for n in self.nodes() if n.name == name), None)

    def reconcile(self) -> list[str]:
        """Give every live adclf node its actors; returns names that were newly ensured."""
        started = []
        for node in self.nodes(fresh=True):
            key = (node.name, node.node_id)
            if node.alive and key not in self._ensured:
                ensure_node_actors(node, self.settings)
                for hook in self.node_hooks:
                    hook(node, self.settings)
                self._ensured.add(key)
                started.append(node.name)
        return started
