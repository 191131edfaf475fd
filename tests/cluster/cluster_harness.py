"""A real multi-node Ray cluster on one machine (ray.cluster_utils.Cluster) running adclf on Serve.

Each Ray node is an adclf node through its `adclf-node` label, exactly as `ray start --labels`
makes it. Used by tests/cluster and benchmarks/cluster.py. Ray keeps its sockets, logs and the
"current cluster" address file under its own RAY_TMPDIR, so other Ray instances on the machine
(other test runs) neither see this one nor get replaced by it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import httpx  # noqa: E402
import ray  # noqa: E402
from ray import serve  # noqa: E402
from ray.cluster_utils import Cluster  # noqa: E402

from adclf.cluster.nodes import NODE_LABEL  # noqa: E402

# A killed raylet is declared dead after about period x threshold (3 s) instead of Ray's slower
# defaults, so node-failure tests and the failover benchmark do not wait long per death; a check
# may take 1.5 s, so a raylet that is only slow on a loaded 2-core box is not declared dead.
FAST_FAILURE_DETECTION: dict[str, Any] = {
    "health_check_initial_delay_ms": 0,
    "health_check_period_ms": 1000,
    "health_check_timeout_ms": 1500,
    "health_check_failure_threshold": 3,
}
HEAD_NODE = "node-a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.3) -> Any:
    """Poll `check` until it returns something truthy; fail with `what` and the last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (httpx.HTTPError, ValueError) as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")


@dataclass
class AdclfCluster:
    """Ray nodes named node-a (head), node-b, ... plus the adclf Serve app on 127.0.0.1."""

    base: Path
    settings: dict[str, Any]
    cpus_per_node: int = 1
    cluster: Cluster | None = None
    nodes: dict[str, Any] = field(default_factory=dict)  # adclf name -> ray Node (not the head)
    url: str = ""
    ray_tmpdir: str = ""

    @property
    def roots(self) -> Path:
        return self.base / "roots"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    # ---- Ray ---------------------------------------------------------------------------------
    def start(self, names: list[str]) -> None:
        """Start the head (names[0]) and the other nodes, then connect this process."""
        self.roots.mkdir(parents=True, exist_ok=True)
        # Short: Ray's socket paths under it must stay below the 107-byte AF_UNIX limit.
        self.ray_tmpdir = tempfile.mkdtemp(prefix="adclf-rc-", dir="/tmp")
        os.environ["RAY_TMPDIR"] = self.ray_tmpdir
        self.cluster = Cluster(initialize_head=True, head_node_args={
            "num_cpus": self.cpus_per_node, "labels": {NODE_LABEL: names[0]},
            "include_dashboard": False, "_system_config": FAST_FAILURE_DETECTION})
        for name in names[1:]:
            self.add_node(name)
        ray.init(address=self.cluster.address, namespace="adclf-cluster-tests",
                 log_to_driver=False)

    def add_node(self, name: str) -> Any:
        assert self.cluster is not None
        node = self.cluster.add_node(num_cpus=self.cpus_per_node, labels={NODE_LABEL: name})
        self.nodes[name] = node
        return node

    def kill_node(self, name: str, graceful: bool = False) -> None:
        """Take a node away; not graceful = its raylet and actors are SIGKILLed (a crash)."""
        assert self.cluster is not None
        self.cluster.remove_node(self.nodes.pop(name), allow_graceful=graceful)

    def ray_alive(self, name: str) -> bool:
        return any(n["Alive"] for n in ray.nodes()
                   if (n.get("Labels") or {}).get(NODE_LABEL) == name)

    # ---- Serve -------------------------------------------------------------------------------
    def deploy(self, timeout: float = 240.0) -> None:
        """The adclf app as build_app makes it, ingress replicas pinned to the head node.

        Pinned because a test kills other nodes: a replica on a killed node would be replaced by
        Serve, but requests in flight to it would fail (the docs recommend the same pinning)."""
        from adclf.api.deployment import Ingress, build_app
        from adclf.config import Settings

        build_app(self.settings)  # the same validation `serve deploy` runs
        settings = Settings(**self.settings)
        port = free_port()
        serve.start(proxy_location="HeadOnly",
                    http_options={"host": "127.0.0.1", "port": port})
        app = Ingress.options(  # type: ignore[attr-defined]  # @serve.deployment makes it one
            num_replicas=settings.INGRESS_REPLICAS,
            ray_actor_options={"num_cpus": 0, "label_selector": {NODE_LABEL: HEAD_NODE}},
        ).bind(settings)
        serve.run(app, name="adclf", route_prefix="/", blocking=False)
        self.url = f"http://127.0.0.1:{port}"
        wait_for("the Serve app to answer /health", self._healthy, timeout, every=0.5)

    def _healthy(self) -> bool:
        return httpx.get(f"{self.url}/health", timeout=5).status_code == 200

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def node_views(self) -> dict[str, dict[str, Any]]:
        with self.client() as c:
            r = c.get("/cluster/nodes")
            r.raise_for_status()
            # The original's /cluster/nodes object carries our views under node_views.
            return {v["node"]: v for v in r.json()["node_views"]}

    def wait_workers(self, names: list[str], per_node: int, timeout: float = 240.0) -> None:
        """Until each node's store has seen its workers (they warm their models first)."""
        def ready() -> bool:
            views = self.node_views()
            return all(views.get(n, {}).get("workers", 0) >= per_node for n in names)
        wait_for(f"{per_node} worker(s) on each of {names}", ready, timeout, every=1.0)

    def wait_jobs(self, job_ids: list[str], timeout: float = 240.0,
                  until: tuple[str, ...] = ("completed", "failed")) -> dict[str, dict[str, Any]]:
        done: dict[str, dict[str, Any]] = {}

        def all_done() -> bool:
            with self.client() as c:
                for job_id in job_ids:
                    if job_id in done:
                        continue
                    r = c.get(f"/jobs/{job_id}")
                    if r.status_code == 200 and r.json()["status"] in until:
                        done[job_id] = r.json()
            return len(done) == len(job_ids)

        wait_for(f"{len(job_ids)} job(s) to reach {until} ({len(done)} did)", all_done, timeout,
                 every=0.5)
        return done

    def replica_reads(self) -> dict[str, int]:
        """Per ingress replica, how many GET /jobs/{id} it answered with 200 (its access log)."""
        logs = Path(os.environ["RAY_TMPDIR"]) / "ray" / "session_latest" / "logs" / "serve"
        return {f.stem.rsplit("_", 1)[-1]: f.read_text().count("GET /jobs/{job_id} 200 ")
                for f in sorted(logs.glob("replica_adclf_adclf-ingress_*.log"))}

    # ---- teardown ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        with contextlib.suppress(Exception):  # the cluster goes away next anyway
            serve.shutdown()
        ray.shutdown()
        if self.cluster is not None:
            self.cluster.shutdown()
            self.cluster = None
        if self.ray_tmpdir:
            shutil.rmtree(self.ray_tmpdir, ignore_errors=True)


def job_owner(job_id: str) -> str:
    from adclf.services.jobs import owner_of

    return owner_of(job_id)


def jobs_page(c: httpx.Client, path: str = "/cluster/jobs", **params: Any) -> dict[str, Any]:
    """A job listing (the original's bare array) with its page headers, as one dict."""
    r = c.get(path, params=params)
    r.raise_for_status()
    return {"jobs": r.json(), "total": int(r.headers["x-total-count"]),
            "limit": int(r.headers["x-limit"]), "offset": int(r.headers["x-offset"]),
            "unavailable_nodes": json.loads(r.headers["x-unavailable-nodes"])}
