"""Which node owns a job, and the client of each node's job store: the services' one way to the
store (routes never hold a StoreClient)."""

from __future__ import annotations

import re

from adclf.cluster.nodes import AdclfNode, NodeRegistry
from adclf.errors import NotFound, Unavailable
from adclf.store.client import StoreClient

_JOB_ID = re.compile(
    r"^(?P<node>[a-z0-9][a-z0-9-]{0,62})-"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def owner_of(job_id: str) -> str:
    """The name of the node that owns a job: every job id starts with it."""
    match = _JOB_ID.match(job_id)
    if not match:
        raise NotFound(f"job {job_id} not found (not an adclf job id)")
    return match.group("node")


class Stores:
    """Store clients by node name, looked up once per replica."""

    def __init__(self, registry: NodeRegistry) -> None:
        self.registry = registry
        self._clients: dict[str, StoreClient] = {}

    def for_node(self, node: str) -> StoreClient:
        known = self.registry.get(node)
        if known is None:
            raise NotFound(f"no adclf node named {node!r}")
        if not known.alive:
            raise Unavailable(f"node {node} is unavailable (dead in Ray); its jobs can be read "
                              "again when it returns")
        client = self._clients.get(node)
        if client is None:
            client = StoreClient.lookup(node)
            self._clients[node] = client
        return client

    def for_job(self, job_id: str) -> StoreClient:
        node = owner_of(job_id)
        try:
            return self.for_node(node)
        except NotFound:
            raise NotFound(f"job {job_id} not found (no node {node!r})") from None

    def live_nodes(self) -> list[AdclfNode]:
        return [n for n in self.registry.nodes() if n.alive]

    def live_names(self) -> list[str]:
        return [n.name for n in self.live_nodes()]
