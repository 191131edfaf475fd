"""Cluster-wide views: nodes with their queues, metrics, analytics, maintenance, diagnostics."""

from __future__ import annotations

import asyncio
from typing import Any

from adclf.cluster.nodes import AdclfNode
from adclf.services.jobs import JobService


async def node_views(jobs: JobService) -> list[dict[str, Any]]:
    nodes = jobs.registry.nodes(fresh=True)

    async def one(node: AdclfNode) -> dict[str, Any]:
        view: dict[str, Any] = {**node.public(), "available": False, "maintenance": False,
                                "queued": 0, "processing": 0, "completed": 0, "failed": 0,
                                "workers": 0, "message": None}
        view["resources"] = node.public()["resources"]
        if not node.alive:
            view["message"] = "node is dead in Ray; its jobs are unavailable until it returns"
            return view
        try:
            st = await jobs.store(node.name).stats(timeout=5.0)
        except Exception as exc:  # noqa: BLE001 - reported to the caller, never fatal
            view["message"] = f"job store not answering: {exc}"
            return view
        view.update(available=True, maintenance=st["maintenance"], queued=st["jobs_queued"],
                    processing=st["jobs_processing"], completed=st["jobs_completed"],
                    failed=st["jobs_failed"], workers=st["workers_active"])
        return view

    return list(await asyncio.gather(*(one(n) for n in nodes)))


async def metrics(jobs: JobService, local_node: str, uptime: float) -> dict[str, Any]:
    names = [n.name for n in jobs.registry.nodes() if n.alive]
    stats = await asyncio.gather(*(jobs.store(n).stats() for n in names),
                                 return_exceptions=True)
    per_node = {n: s for n, s in zip(names, stats, strict=True) if isinstance(s, dict)}
    keys = ("jobs_queued", "jobs_processing", "jobs_completed", "jobs_failed",
            "jobs_submitted_this_process")
    totals = {k: sum(int(s[k]) for s in per_node.values()) for k in keys}
    return {"node": local_node, **totals, "uptime_seconds": round(uptime, 3),
            "nodes": {n: {k: s[k] for k in (*keys, "workers_active", "maintenance")}
                      for n, s in per_node.items()}}


def prometheus(m: dict[str, Any]) -> str:
    lines = []
    for key in ("jobs_queued", "jobs_processing", "jobs_completed", "jobs_failed",
                "jobs_submitted_this_process"):
        name = f"adclf_{key}"
        kind = "counter" if key == "jobs_submitted_this_process" else "gauge"
        lines += [f"# HELP {name} {key.replace('_', ' ')}", f"# TYPE {name} {kind}"]
        for node, s in sorted(m["nodes"].items()):
            lines.append(f'{name}{{node="{node}"}} {int(s[key])}')
    lines += ["# HELP adclf_uptime_seconds seconds since this ingress replica started",
              "# TYPE adclf_uptime_seconds gauge", f"adclf_uptime_seconds {m['uptime_seconds']}"]
    return "\n".join(lines) + "\n"


async def analytics(jobs: JobService) -> dict[str, Any]:
    names = [n.name for n in jobs.registry.nodes() if n.alive]
    parts = await asyncio.gather(*(jobs.store(n).analytics() for n in names),
                                 return_exceptions=True)
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
