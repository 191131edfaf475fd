"""The original service's wire shapes, built from adclf's stored job.

adclf answers every path in ONE shape that is a superset of the original's: its keys and wrapping
exactly as the original returns them, and adclf's richer fields beside them (see
docs/api-compat.md). These pure functions build the original's part; views.py builds ours."""

from __future__ import annotations

from typing import Any

from adclf.settings_compat import not_used

Row = dict[str, Any]

TITLES = {"initial": "Initial Tail Pass", "extended_tail": "Extended Tail",
          "full_video": "Full Video", "ocr_rescue": "OCR Rescue", "speech": "French Listen"}


def title(attempt_type: str) -> str:
    return TITLES.get(attempt_type, attempt_type.replace("_", " ").title() or "Unknown")


def result_row(result: dict[str, Any]) -> dict[str, Any]:
    """One result row as the original's readers take it: its capitalised keys (Brand, Category,
    Category ID, Confidence, Reasoning) and its lowercase ones."""
    category = result.get("category") or result.get("category_name") or ""
    row = {
        "Brand": result.get("brand") or "", "Category": category,
        "Category ID": result.get("category_id") or "",
        "Confidence": result.get("confidence"), "Reasoning": result.get("reasoning") or "",
        "brand": result.get("brand") or "", "category": category,
        "category_id": result.get("category_id") or "",
        "category_name": result.get("category_name") or category,
        "parent_category_id": result.get("parent_category_id") or "",
        "parent_category": result.get("parent_category") or "",
        "industry_id": result.get("industry_id") or "",
        "industry_name": result.get("industry_name") or "",
        "confidence": result.get("confidence"), "reasoning": result.get("reasoning") or "",
    }
    if result.get("job_label"):
        row["job_label"] = result["job_label"]
    return row


def result_rows(result: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """`None` until the job has a result, as the original answers."""
    return [result_row(result)] if result else None


def _attempt(a: dict[str, Any]) -> dict[str, Any]:
    res = a.get("result") or {}
    frames = list(a.get("frames") or [])
    return {
        "attempt_type": a.get("type", ""), "title": title(str(a.get("type", ""))),
        "status": "accepted" if a.get("accepted") else "rejected",
        "detail": a.get("reason", ""), "trigger_reason": a.get("trigger", ""),
        "frame_count": len(frames), "frame_times": frames,
        "ocr_excerpt": a.get("ocr_excerpt", ""), "ocr_signal": bool(a.get("ocr_excerpt")),
        "result": {"brand": res.get("brand", ""), "category": res.get("category", ""),
                   "confidence": res.get("confidence")},
    }


def processing_trace(trace: list[dict[str, Any]], settings: dict[str, Any],
                     result: dict[str, Any] | None, mode: str | None) -> dict[str, Any]:
    attempts = [_attempt(a) for a in trace]
    accepted = next((a for a in reversed(attempts) if a["status"] == "accepted"), None)
    summary = {
        "headline": (f"{len(attempts)} attempt(s); kept {accepted['title']}" if accepted
                     else f"{len(attempts)} attempt(s)"),
        "attempt_count": len(attempts), "retry_count": max(0, len(attempts) - 1),
        "accepted_attempt_type": accepted["attempt_type"] if accepted else "",
        "trigger_reason": accepted["trigger_reason"] if accepted else "",
    }
    return {"mode": mode or "pipeline", "provider": (result or {}).get("provider") or
            settings.get("provider") or "", "model": (result or {}).get("model") or "",
            "ocr_engine": settings.get("ocr_engine", ""), "ocr_mode": settings.get("ocr_mode", ""),
            "scan_mode": settings.get("scan_mode", ""), "attempts": attempts, "summary": summary}


def _match(m: dict[str, Any]) -> dict[str, Any]:
    path = str(m.get("path") or "")
    parts = [p.strip() for p in path.split(">")] if path else []
    return {"label": m.get("name", ""), "score": m.get("score", 0.0),
            "category_id": m.get("id"), "parent_name": parts[-2] if len(parts) > 1 else "",
            "path_text": path}


def artifacts(ours: dict[str, Any], row: Row, result: dict[str, Any] | None,
              settings: dict[str, Any]) -> dict[str, Any]:
    """The original's `artifacts` object, from our artifacts view of the same job."""
    result = result or {}
    lines = [str(line.get("text", "")) for line in ours.get("ocr_lines", [])
             if isinstance(line, dict)]
    top = ours.get("mapper_top", [])
    mapper = {
        "category": result.get("category_name") or result.get("category") or "",
        "category_id": result.get("category_id"),
        "parent_category": result.get("parent_category"),
        "category_path_text": top[0].get("path") if top else None,
        "method": result.get("mapper_method", ""), "score": result.get("mapper_score"),
        "confidence": result.get("confidence"),
        "query_fragments": [result["raw_category"]] if result.get("raw_category") else [],
        "top_matches": [_match(m) for m in top],
    }
    return {
        "latest_frames": [{"timestamp": f.get("timestamp"), "label": f.get("name", ""),
                           "url": f["url"]} for f in ours.get("frames", [])],
        "llm_frames": [],
        "per_frame_vision": [],
        "ocr_text": {"text": ours.get("ocr_text", ""), "lines": lines, "url": None},
        "vision_board": {"image_url": None, "plot_url": None, "top_matches": [],
                         "metadata": {}},
        "category_mapper": mapper,
        "processing_trace": processing_trace(ours.get("trace", []), settings,
                                             result or None, row.get("mode")),
        "extras": {"speech_text": ours.get("speech_text", ""),
                   "logos": [lg.get("brand") for lg in ours.get("logos", [])]},
    }


def event_line(ev: dict[str, Any]) -> str:
    """"2026-12-01T10:00:00Z stage: detail", the original's event strings."""
    stage = ev.get("stage") or "event"
    return f"{ev.get('ts')} {stage}: {ev.get('message') or ''}".rstrip()


def settings_notes(settings: dict[str, Any]) -> list[str]:
    """What the explanation says about the job's settings: the original's values that were
    read as another (substitutions) and those that had no effect offline."""
    return [*(settings.get("substitutions") or []), *not_used(settings)]


def explanation(row: Row, ours_artifacts: dict[str, Any], result: dict[str, Any] | None,
                settings: dict[str, Any], events: list[str]) -> dict[str, Any]:
    """The original's `explanation` object."""
    art = artifacts(ours_artifacts, row, result, settings)
    trace = art["processing_trace"]
    res = result or {}
    summary = dict(trace["summary"])
    notes = settings_notes(settings)
    if notes:
        summary["settings_notes"] = notes
    return {
        "job_id": row["job_id"], "mode": row.get("mode"), "status": row["status"],
        "stage": row.get("stage"), "stage_detail": row.get("stage_detail"),
        "summary": summary, "attempts": trace["attempts"],
        "final": {
            "brand": res.get("brand", ""), "category": res.get("category", ""),
            "category_id": res.get("category_id"),
            "parent_category_id": res.get("parent_category_id"),
            "parent_category": res.get("parent_category"),
            "industry_id": res.get("industry_id"), "industry_name": res.get("industry_name"),
            "confidence": res.get("confidence"), "mapper_method": res.get("mapper_method", ""),
            "mapper_score": res.get("mapper_score"),
        },
        "evidence": {"ocr_excerpt": art["ocr_text"]["text"][:400],
                     "latest_frames": art["latest_frames"][:6], "event_count": len(events),
                     "recent_events": events[-8:]},
    }


def cluster_nodes(views: list[dict[str, Any]], local_node: str) -> dict[str, Any]:
    """The original's `/cluster/nodes` object (name → address, status, maintenance, accepting,
    self) with our node views under `node_views`."""
    return {
        "nodes": {v["node"]: v.get("address") or v["node"] for v in views},
        "status": {v["node"]: bool(v.get("available")) for v in views},
        "maintenance": {v["node"]: bool(v.get("maintenance")) for v in views},
        "accepting_new_jobs": {v["node"]: bool(v.get("accepting_new_jobs")) for v in views},
        "self": local_node,
        "node_views": views,
    }
