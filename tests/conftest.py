"""Session fixtures: one real local Ray, one real Serve app on loopback, real files in tmp dirs.

Tests under tests/cluster/ start their own multi-node Ray and run in a separate pytest process
(scripts/test.sh), because a process can hold only one Ray connection."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from support import TEST_TOKEN, LiveServer, free_port  # noqa: E402,F401 - re-exported


@pytest.fixture(scope="session")
def ray_session() -> Iterator[None]:
    import ray

    ray.init(address="local", num_cpus=4, include_dashboard=False, namespace="adclf-tests",
             log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="session")
def live_server(ray_session: None,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from ray import serve

    from adclf.api.deployment import build_app

    base = tmp_path_factory.mktemp("live")
    roots = base / "roots"
    roots.mkdir()
    data = base / "data"
    port = free_port()
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    common = {
        "DATA_DIR": str(data), "ALLOWED_FOLDER_ROOTS": [str(roots)], "WORKERS_PER_NODE": 2,
        "LEASE_SECONDS": 6.0, "HEARTBEAT_SECONDS": 1.0, "MAX_ATTEMPTS": 3,
        "URL_ALLOW_PRIVATE": True, "URL_FETCH_TIMEOUT": 20.0, "MAX_UPLOAD_MB": 5,
        "CLEANUP_ENABLED": False,
    }
    serve.run(build_app(common), name="adclf", route_prefix="/")
    serve.run(build_app({**common, "API_TOKEN": TEST_TOKEN}), name="adclf-secure",
              route_prefix="/secure")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200 and \
                    httpx.get(f"{url}/secure/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    else:
        raise RuntimeError("the Serve app did not become healthy in 120 s")
    yield LiveServer(url, f"{url}/secure", TEST_TOKEN, roots, data)
    serve.shutdown()


@pytest.fixture(scope="session")
def live_server_roots(live_server: LiveServer) -> Path:
    return live_server.roots


@pytest.fixture(scope="session")
def sample_ad(live_server: LiveServer) -> Path:
    """A real 6 s ad (product scene + end card) inside the allowed root."""
    from videos import simple_ad

    return simple_ad(live_server.roots / "sample-ad.mp4", brand="NIKE", product="Running shoes",
                     domain="nike.com")
