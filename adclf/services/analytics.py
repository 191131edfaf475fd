"""The original service's analytics shape (totals, top_brands[{brand}], categories,
duration_percentiles, duration_series, path_metrics...), computed from job rows.

The store's own analytics (ours: counts, durations, top_*, per_hour) stay beside it; this
part reads the newest jobs of each node (up to ROW_WINDOW) because the original's fields need
per-job values the store does not aggregate (scan mode, provider, accepted attempt)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from adclf.services.compat import title

ROW_WINDOW = 5000
TRACE_WINDOW = 200
_EMPTY = ("", "unknown", "none", "n/a")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    value = ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
    return round(value, 1)


def _percentiles(values: list[float]) -> dict[str, Any]:
    return {"count": len(values), **{f"p{int(q * 100)}": _percentile(values, q)
                                     for q in (0.5, 0.9, 0.95, 0.99)}}


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _settings(row: dict[str, Any]) -> dict[str, Any]:
    raw = row.get("settings")
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _duration(row: dict[str, Any]) -> float | None:
    if row.get("started_at") is None or row.get("finished_at") is None:
        return None
    return float(row["finished_at"]) - float(row["started_at"])


def _counted(counts: dict[str, int], key: str, limit: int) -> list[dict[str, Any]]:
    return [{key: k, "count": n}
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _averages(groups: dict[str, list[float]], key: str) -> list[dict[str, Any]]:
    rows = [{key: k, "avg_duration": round(sum(v) / len(v), 1) if v else None,
             "count": len(v)} for k, v in groups.items()]
    return sorted(rows, key=lambda r: -int(r["count"]))


def path_metrics(explanations: list[dict[str, Any]]) -> dict[str, Any]:
    """How often each attempt type was taken (transit) and kept (accepted)."""
    accepted: dict[str, int] = defaultdict(int)
    transit: dict[str, int] = defaultdict(int)
    with_trace = 0
    for exp in explanations:
        attempts = [a for a in exp.get("attempts") or [] if isinstance(a, dict)]
        if not attempts:
            continue
        with_trace += 1
        for kind in dict.fromkeys(str(a.get("type", "")) for a in attempts):
            transit[kind] += 1
        kept = [a for a in attempts if a.get("accepted")]
        if kept:
            accepted[str(kept[-1].get("type", ""))] += 1

    def rows(counts: dict[str, int]) -> list[dict[str, Any]]:
        return [{"attempt_type": k, "title": title(k), "count": n}
                for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    return {"jobs_with_trace": with_trace, "accepted_paths": rows(accepted),
            "transit_paths": rows(transit)}


def original_analytics(rows: list[dict[str, Any]], explanations: list[dict[str, Any]],
                       default_provider: str) -> dict[str, Any]:
    brands: dict[str, int] = defaultdict(int)
    categories: dict[str, int] = defaultdict(int)
    providers: dict[str, int] = defaultdict(int)
    daily: dict[tuple[str, str], int] = defaultdict(int)
    by_mode: dict[str, list[float]] = defaultdict(list)
    by_scan: dict[str, list[float]] = defaultdict(list)
    points: list[dict[str, Any]] = []
    completed = failed = 0
    for row in rows:
        status = row.get("status")
        if status in ("completed", "failed") and row.get("finished_at") is not None:
            daily[(_iso(float(row["finished_at"]))[:10], str(status))] += 1
        if status == "failed":
            failed += 1
        if status != "completed":
            continue
        completed += 1
        settings = _settings(row)
        if str(row.get("brand") or "").strip().lower() not in _EMPTY:
            brands[str(row["brand"]).strip()] += 1
        category = row.get("category") or row.get("category_name")
        if str(category or "").strip().lower() not in _EMPTY:
            categories[str(category).strip()] += 1
        providers[str(settings.get("provider") or default_provider)] += 1
        duration = _duration(row)
        if duration is None:
            continue
        by_mode[str(row.get("mode") or "pipeline")].append(duration)
        by_scan[str(settings.get("scan_mode") or "Tail Only")].append(duration)
        points.append({"completed_at": _iso(float(row["finished_at"])),
                       "duration_seconds": round(duration, 3)})
    points.sort(key=lambda p: p["completed_at"])
    durations = [p["duration_seconds"] for p in points]
    buckets: dict[str, list[float]] = defaultdict(list)
    for p in points:
        buckets[f"{p['completed_at'][:13]}:00"].append(p["duration_seconds"])
    return {
        "top_brands": _counted(brands, "brand", 20),
        "categories": _counted(categories, "category", 25),
        "avg_duration_by_mode": _averages(by_mode, "mode"),
        "avg_duration_by_scan": _averages(by_scan, "scan_mode"),
        "daily_outcomes": [{"day": d, "status": s, "count": n}
                           for (d, s), n in sorted(daily.items())],
        "providers": _counted(providers, "provider", 50),
        "totals": {"total": len(rows), "completed": completed, "failed": failed,
                   "avg_duration": round(sum(durations) / len(durations), 1)
                   if durations else None},
        "duration_percentiles": _percentiles(durations),
        "duration_series": [{"bucket": b, **_percentiles(v)}
                            for b, v in sorted(buckets.items())[-48:]],
        "recent_duration_points": points[-600:],
        "path_metrics": path_metrics(explanations),
    }
