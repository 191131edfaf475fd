"""The fleet of adclf nodes: each node's state and queue, maintenance, TTL cleanup, health,
metrics, analytics and device diagnostics."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from adclf.cluster.diagnostics import device_refs, model_device_refs
from adclf.cluster.nodes import AdclfNode, NodeRegistry
from adclf.services import analytics, compat
from adclf.services.stores import Stores

METRIC_KEYS = ("jobs_queued", "jobs_processing", "jobs_completed", "jobs_failed",
               "jobs_submitted_this_process")


class NodeService:
    def __init__(self, registry: NodeRegistry, stores: Stores, local_node: str,
                 started_at: float | None = None, default_provider: str = "embedded") -> None:
        self.default_provider = default_provider
        self.registry = registry
        self.stores = stores
        self.local_node = local_node
        self.started_at = time.time() if started_at is None else started_at

    async def views(self) -> list[dict[str, Any]]:
        """Every adclf node as Ray sees it (alive/dead, resources) with its queue and workers."""
        return list(await asyncio.gather(*(self._view(n)
                                           for n in self.registry.nodes(fresh=True))))

    async def _view(self, node: AdclfNode) -> dict[str, Any]:
        view: dict[str, Any] = {**node.public(), "available": False, "maintenance": False,
                                "maintenance_mode": False, "accepting_new_jobs": False,
                                "queued": 0, "processing": 0, "completed": 0, "failed": 0,
                                "workers": 0, "message": None}
        view["resources"] = node.public()["resources"]
        if not node.alive:
            view["message"] = "node is dead in Ray; its jobs are unavailable until it returns"
            return view
        try:
            st = await self.stores.for_node(node.name).stats(timeout=5.0)
        except Exception as exc:  # noqa: BLE001 - reported to the caller, never fatal
            view["message"] = f"job store not answering: {exc}"
            return view
        view.update(available=True, maintenance=st["maintenance"], queued=st["jobs_queued"],
                    processing=st["jobs_processing"], completed=st["jobs_completed"],
                    failed=st["jobs_failed"], workers=st["workers_active"],
                    maintenance_mode=st["maintenance"],
                    # A node in maintenance is up but takes no new jobs (the CLI showed "yes").
                    accepting_new_jobs=not st["maintenance"])
        return view

    async def cluster(self) -> dict[str, Any]:
        """The original's `/cluster/nodes` object, our node views under `node_views`."""
        return compat.cluster_nodes(await self.views(), self.local_node)

    async def set_maintenance(self, node: str, enabled: bool) -> dict[str, Any]:
        """A node in maintenance finishes its jobs but takes no new ones; returns its view."""
        await self.stores.for_node(node).set_maintenance(enabled)
        return next(v for v in await self.views() if v["node"] == node)

    async def set_local_maintenance(self, enabled: bool) -> dict[str, Any]:
        """The original's /admin/node/maintenance: this replica's node."""
        return await self.set_maintenance(self.local_node, enabled)

    async def cleanup(self) -> list[dict[str, Any]]:
        """The TTL cleanup, once on every live node: what each removed."""
        return [await self.stores.for_node(name).cleanup() for name in self.stores.live_names()]

    async def health(self) -> dict[str, Any]:
        """This replica's node: is its job store answering? `status` is "ok" or "degraded"."""
        alive = self.stores.live_nodes()
        try:
            await self.stores.for_node(self.local_node).ping(timeout=5.0)
            db, status = "ok", "ok"
        except Exception as exc:  # noqa: BLE001 - the answer says why
            db, status = f"unavailable: {exc}", "degraded"
        return {"status": status, "node": self.local_node, "db": db, "nodes_alive": len(alive)}

    async def metrics(self) -> dict[str, Any]:
        """Job counters per live node and in total, and this replica's uptime."""
        names = self.stores.live_names()
        stats = await asyncio.gather(*(self.stores.for_node(n).stats() for n in names),
                                     return_exceptions=True)
        per_node = {n: s for n, s in zip(names, stats, strict=True) if isinstance(s, dict)}
        totals = {k: sum(int(s[k]) for s in per_node.values()) for k in METRIC_KEYS}
        return {"node": self.local_node, **totals,
                "uptime_seconds": round(time.time() - self.started_at, 3),
                "nodes": {n: {k: s[k] for k in (*METRIC_KEYS, "workers_active", "maintenance")}
                          for n, s in per_node.items()}}

    async def diagnostics(self) -> dict[str, Any]:
        """Per node: CPU count, torch/CUDA availability, GPUs, ONNX Runtime providers, and the
        device its model actor runs the models on (`model_actor.device`, with the reason)."""
        nodes = self.registry.nodes()
        out: dict[str, Any] = {}
        for name, ref in device_refs(nodes).items():
            try:
                out[name] = await asyncio.wait_for(ref, timeout=60)
            except Exception as exc:  # noqa: BLE001 - a diagnostic reports, never fails
                out[name] = {"error": f"probe failed: {exc}"}
        for name, ref in model_device_refs(nodes).items():
            entry = out.setdefault(name, {})
            try:
                entry["model_actor"] = await asyncio.wait_for(ref, timeout=30)
            except Exception as exc:  # noqa: BLE001 - a diagnostic reports, never fails
                entry["model_actor"] = {"error": f"model actor did not answer: {exc}"}
        for node in self.registry.nodes():
            if not node.alive:
                out[node.name] = {"error": "node is dead in Ray"}
        return {"nodes": out}

    async def analytics(self, local_only: bool = False) -> dict[str, Any]:
        """The original's analytics (totals, top_brands[{brand, count}], categories,
        duration_percentiles, path_metrics...) and ours beside it (counts, durations, top_*,
        failures, per_hour), over the live nodes or only this replica's node."""
        names = [self.local_node] if local_only else self.stores.live_names()
        parts = await asyncio.gather(*(self.stores.for_node(n).analytics() for n in names),
                                     return_exceptions=True)
        ours = merge_analytics(names, parts)
        rows, explanations = await self._recent_jobs(names)
        original = analytics.original_analytics(rows, explanations,
                                                self.default_provider)
        # top_brands is in both shapes: each row carries the original's `brand` and our `name`.
        ours_brands = {b["name"]: b for b in ours.pop("top_brands")}
        original["top_brands"] = [{**ours_brands.get(b["brand"], {}), **b}
                                  for b in original["top_brands"]]
        return {**ours, **original}

    async def _recent_jobs(self, names: list[str]
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        pages = await asyncio.gather(*(self.stores.for_node(n).list_jobs(
            None, None, analytics.ROW_WINDOW, 0) for n in names), return_exceptions=True)
        rows = [r for p in pages if isinstance(p, dict) for r in p["jobs"]]
        done = [r["job_id"] for r in rows if r["status"] == "completed"][:analytics.TRACE_WINDOW]
        full = await asyncio.gather(*(self.stores.for_job(j).get(j) for j in done),
                                    return_exceptions=True)
        explanations = []
        for row in full:
            if isinstance(row, dict) and row.get("explanation"):
                exp = row["explanation"]
                explanations.append(json.loads(exp) if isinstance(exp, str) else exp)
        return rows, explanations


def merge_analytics(names: list[str], parts: list[Any]) -> dict[str, Any]:
    """Per-node analytics (or the exception a node answered with) → one cluster-wide view."""
    merged: dict[str, Any] = {"nodes": {}, "counts": {}, "top_brands": [], "top_categories": [],
                              "top_industries": [], "failures": [], "per_hour": [],
                              "durations": {}}
    tallies: dict[str, dict[Any, dict[str, Any]]] = {
        "top_brands": {}, "top_categories": {}, "top_industries": {}, "failures": {},
        "per_hour": {}}
    weighted = {"n": 0, "p50": 0.0, "p95": 0.0, "mean": 0.0}
    for name, part in zip(names, parts, strict=True):
        if not isinstance(part, dict):
            merged["nodes"][name] = {"available": False}
            continue
        merged["nodes"][name] = {"available": True, "counts": part["counts"],
                                 "durations": part["durations"]}
        for status, n in part["counts"].items():
            merged["counts"][status] = merged["counts"].get(status, 0) + n
        for key, table in tallies.items():
            id_key = "hour" if key == "per_hour" else ("reason" if key == "failures" else "name")
            for item in part[key]:
                slot = table.setdefault(item[id_key], {**item, **{
                    k: 0 for k in item if k in ("count", "submitted", "completed", "failed")}})
                for k in ("count", "submitted", "completed", "failed"):
                    if k in item:
                        slot[k] += item[k]
        d = part["durations"]
        if d.get("n"):
            # Node percentiles weighted by job count: an approximation across nodes.
            for k in ("p50", "p95", "mean"):
                weighted[k] += float(d[k] or 0) * d["n"]
            weighted["n"] += d["n"]
    for key, table in tallies.items():
        if key == "per_hour":
            merged[key] = sorted(table.values(), key=lambda x: x["hour"])
        else:
            merged[key] = sorted(table.values(), key=lambda x: -x["count"])[:10]
    n = weighted["n"]
    merged["durations"] = {"n": n, **{k: (round(weighted[k] / n, 3) if n else None)
                                      for k in ("p50", "p95", "mean")}}
    return merged
