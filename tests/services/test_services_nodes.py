"""NodeService against a real store actor: node views, maintenance, health, metrics, cleanup,
analytics and the device probe."""

from __future__ import annotations

import asyncio

import pytest
from services_support import NODE, Fleet

from adclf.domain import JobSettings
from adclf.errors import NotFound, Unavailable
from adclf.services.nodes import merge_analytics


def test_node_views_and_maintenance(fleet: Fleet) -> None:
    nodes, subs = fleet.services.nodes, fleet.services.submissions

    async def run() -> None:
        (view,) = await nodes.views()
        assert view["node"] == NODE and view["alive"] and view["available"]
        assert view["maintenance"] is False and view["accepting_new_jobs"] is True
        assert view["resources"]["CPU"] > 0 and view["message"] is None
        try:
            paused = await nodes.set_maintenance(NODE, True)
            # Up and answering, but it takes no new jobs.
            assert paused["maintenance"] is True and paused["available"] is True
            assert paused["accepting_new_jobs"] is False and paused["maintenance_mode"] is True
            fleet_map = await nodes.cluster()  # the original's /cluster/nodes object
            assert fleet_map["self"] == NODE and fleet_map["maintenance"] == {NODE: True}
            assert fleet_map["accepting_new_jobs"] == {NODE: False}
            assert fleet_map["status"] == {NODE: True} and isinstance(fleet_map["nodes"][NODE], str)
            assert fleet_map["node_views"][0]["node"] == NODE
            assert (await nodes.set_local_maintenance(False))["accepting_new_jobs"] is True
            await nodes.set_maintenance(NODE, True)
            with pytest.raises(Unavailable, match="maintenance"):
                await subs.submit_filepath("pipeline", str(fleet.video), JobSettings())
        finally:
            assert (await nodes.set_maintenance(NODE, False))["maintenance"] is False
        with pytest.raises(NotFound, match="no adclf node"):
            await nodes.set_maintenance("nope", True)

    asyncio.run(run())


def test_health_metrics_cleanup_and_analytics(clean_node: Fleet) -> None:
    nodes, subs = clean_node.services.nodes, clean_node.services.submissions

    async def run() -> None:
        assert await nodes.health() == {"status": "ok", "node": NODE, "db": "ok",
                                        "nodes_alive": 1}
        await subs.submit_filepath("pipeline", str(clean_node.video), JobSettings())
        m = await nodes.metrics()
        assert m["node"] == NODE and m["jobs_queued"] == 1 and m["uptime_seconds"] >= 0
        assert m["nodes"][NODE]["jobs_queued"] == 1
        (cleaned,) = await nodes.cleanup()
        assert isinstance(cleaned, dict)
        analytics = await nodes.analytics()
        assert analytics["nodes"][NODE]["available"] and analytics["counts"]["queued"] == 1
        assert analytics["totals"] == {"total": 1, "completed": 0, "failed": 0,
                                       "avg_duration": None}
        assert (await nodes.analytics(local_only=True))["totals"]["total"] == 1

    asyncio.run(run())


def test_health_of_a_replica_whose_node_has_no_store(fleet: Fleet) -> None:
    from adclf.services.nodes import NodeService

    lost = NodeService(fleet.registry, fleet.services.nodes.stores, "gone")
    health = asyncio.run(lost.health())
    assert health["status"] == "degraded" and health["db"].startswith("unavailable: ")


def test_analytics_merge_counts_and_unanswered_nodes() -> None:
    part = {"counts": {"completed": 2}, "durations": {"n": 2, "p50": 1.0, "p95": 3.0,
                                                      "mean": 2.0},
            "top_brands": [{"name": "NIKE", "count": 2}], "top_categories": [],
            "top_industries": [], "failures": [], "per_hour": [{"hour": "h", "submitted": 2}]}
    merged = merge_analytics(["a", "b", "c"], [part, part, TimeoutError("slow")])
    assert merged["counts"] == {"completed": 4}
    assert merged["top_brands"] == [{"name": "NIKE", "count": 4}]
    assert merged["per_hour"] == [{"hour": "h", "submitted": 4}]
    assert merged["durations"] == {"n": 4, "p50": 1.0, "p95": 3.0, "mean": 2.0}
    assert merged["nodes"]["c"] == {"available": False}


def test_device_diagnostics_run_on_the_node(fleet: Fleet) -> None:
    diag = asyncio.run(fleet.services.nodes.diagnostics())["nodes"][NODE]
    assert diag["device"] in ("cpu", "cuda") and diag["cpu_count"] >= 1
    assert diag["ray_node_id"] == fleet.registry.get(NODE).node_id  # type: ignore[union-attr]
