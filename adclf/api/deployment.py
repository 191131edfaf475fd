"""The Ray Serve ingress deployment and the application builder used by serve_config.yaml.

    serve run serve_config.yaml        # import_path: adclf.api.deployment:build_app
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import ray
from ray import serve
from ray.serve import Application

from adclf.api.app import create_app
from adclf.api.deps import set_services
from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.services.bundle import build_services
from adclf.services.watch import ensure_watcher
from adclf.webhooks.delivery import ensure_deliverer

log = logging.getLogger("adclf.ingress")

RECONCILE_SECONDS = 5.0

fastapi_app = create_app()


@serve.deployment(name="adclf-ingress", ray_actor_options={"num_cpus": 0},
                  max_ongoing_requests=200, health_check_period_s=10)
@serve.ingress(fastapi_app)
class Ingress:
    """Stateless: all job state lives in the node-owned JobStore actors."""

    def __init__(self, settings: Settings) -> None:
        logging.basicConfig(level=settings.LOG_LEVEL)
        settings.ensure_dirs()
        self.settings = settings
        self.registry = NodeRegistry(settings, node_hooks=[ensure_watcher, ensure_deliverer])
        self.registry.reconcile()
        here = ray.get_runtime_context().get_node_id()
        set_services(build_services(settings, self.registry, self._local_node_name(here),
                                    started_at=time.time(), here=here))
        if not settings.api_tokens():
            log.warning("API_TOKEN is not set: authentication is disabled; keep the HTTP "
                        "server on loopback (serve_config.yaml http_options.host=127.0.0.1)")
        self._stop = threading.Event()
        # New Ray nodes that carry an adclf name get their store and workers without a restart.
        threading.Thread(target=self._reconcile_loop, name="adclf-reconcile", daemon=True).start()

    def _local_node_name(self, here: str) -> str:
        for node in self.registry.nodes(fresh=True):
            if node.node_id == here:
                return node.name
        nodes = self.registry.nodes()
        return nodes[0].name if nodes else self.settings.NODE_NAME

    def _reconcile_loop(self) -> None:
        while not self._stop.wait(RECONCILE_SECONDS):
            try:
                started = self.registry.reconcile()
                if started:
                    log.info("started adclf actors on node(s) %s", ", ".join(started))
            except Exception:  # noqa: BLE001 - retried on the next tick
                log.exception("node reconcile failed")

    def __del__(self) -> None:
        self._stop.set()


def build_app(args: dict[str, Any] | None = None) -> Application:
    """Settings come from the environment (and .env), overridden by `args` from the Serve config.
    Invalid settings stop the deployment here with pydantic's message."""
    settings = Settings(**(args or {}))
    deployment: Any = Ingress
    return deployment.options(num_replicas=settings.INGRESS_REPLICAS).bind(settings)
