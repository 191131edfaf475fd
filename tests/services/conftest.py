"""One real adclf node for the service tests, built the way the ingress builds it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from services_support import NODE, Fleet, settings_for


@pytest.fixture(scope="session")
def fleet(ray_session: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    import ray
    from videos import simple_ad

    from adclf.cluster.nodes import NodeRegistry
    from adclf.services.bundle import build_services
    from adclf.store.client import NAMESPACE, WorkerStoreClient, store_actor_name

    base = tmp_path_factory.mktemp("services")
    roots = base / "roots"
    roots.mkdir()
    settings = settings_for(base / "data", roots)
    settings.ensure_dirs()
    registry = NodeRegistry(settings)
    assert registry.reconcile() == [NODE]
    handle = ray.get_actor(store_actor_name(NODE), namespace=NAMESPACE)
    video = simple_ad(roots / "ad.mp4", brand="NIKE", domain="nike.com", seconds=3)
    yield Fleet(settings, registry, build_services(settings, registry, NODE),
                WorkerStoreClient(handle), video)
    ray.kill(handle)


@pytest.fixture
def clean_node(fleet: Fleet) -> Iterator[Fleet]:
    """The node with no jobs before and after the test (a claim takes the oldest queued job)."""
    import asyncio

    async def drop_all() -> None:
        page = await fleet.services.jobs.list_node(None, None, None, 1000, 0)
        await fleet.services.jobs.delete([j["job_id"] for j in page["jobs"]])

    asyncio.run(drop_all())
    yield fleet
    asyncio.run(drop_all())
