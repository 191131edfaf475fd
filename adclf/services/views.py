"""Store rows → the JSON shapes of the HTTP API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from adclf.security.redact import redact_settings, redact_url
from adclf.services import compat

Row = dict[str, Any]


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=UTC).isoformat().replace("+00:00", "Z")


def _json(value: Any) -> Any:
    if value is None or isinstance(value, dict | list):
        return value
    return json.loads(value)


def job_view(row: Row) -> dict[str, Any]:
    started, finished = row.get("started_at"), row.get("finished_at")
    duration = None
    if started is not None:
        duration = round((finished or row["updated_at"]) - started, 3)
    source = row.get("source")
    if row.get("source_kind") == "url" and source:
        source = redact_url(source)
    elif row.get("source_kind") == "upload":
        source = row.get("original_name") or "upload"
    return {
        "job_id": row["job_id"], "node": row["node"], "status": row["status"],
        "stage": row["stage"], "stage_detail": row.get("stage_detail"),
        "progress": round(float(row.get("progress") or 0.0), 1), "mode": row.get("mode"),
        "source_kind": row.get("source_kind"), "url": source,
        "original_name": row.get("original_name"),
        "settings": redact_settings(_json(row.get("settings")) or {}),
        "error": row.get("error"), "attempts": int(row.get("attempts") or 0),
        "priority": row.get("priority") or "normal", "batch_id": row.get("batch_id"),
        "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]),
        "duration_seconds": duration,
        "brand": row.get("brand"), "category": row.get("category"),
        "category_id": row.get("category_id"), "category_name": row.get("category_name"),
        "parent_category": row.get("parent_category"),
        "parent_category_id": row.get("parent_category_id"),
        "industry_id": row.get("industry_id"), "industry_name": row.get("industry_name"),
        "confidence": row.get("confidence"),
    }


def result_view(row: Row) -> dict[str, Any]:
    """The original's `{"result": [row]}` (None until there is a result) and our flat fields."""
    result = _json(row.get("result")) or {}
    return {"result": compat.result_rows(result), "job_id": row["job_id"],
            "status": row["status"], **result}


def artifacts_view(row: Row, base: str) -> dict[str, Any]:
    art = _json(row.get("artifacts")) or {}
    job_id = row["job_id"]
    frames = [
        {"name": f["name"], "timestamp": f.get("timestamp"),
         "url": f"{base}/jobs/{job_id}/artifacts/{f['name']}"}
        for f in art.get("frames", [])
    ]
    has_video = bool(art.get("video")) or row.get("source_kind") in ("file", "upload") or \
        row.get("status") == "completed"
    logos = [
        {**logo, "frame_url": f"{base}/jobs/{job_id}/artifacts/{logo['frame']}"
         if logo.get("frame") else None}
        for logo in art.get("logos", [])
    ]
    ours = {
        "job_id": job_id, "frames": frames, "ocr_text": art.get("ocr_text", ""),
        "ocr_lines": art.get("ocr_lines", []),
        "speech_text": art.get("speech_text", ""), "speech_lines": art.get("speech_lines", []),
        "speech_note": art.get("speech_note", ""), "logos": logos,
        "logo_note": art.get("logo_note", ""), "mapper_top": art.get("mapper_top", []),
        "trace": art.get("trace", []),
        "video_url": f"{base}/jobs/{job_id}/video" if has_video else None,
        "poster_url": f"{base}/jobs/{job_id}/video-poster" if frames or has_video else None,
    }
    settings = _json(row.get("settings")) or {}
    original = compat.artifacts(ours, row, _json(row.get("result")), settings)
    return {"artifacts": original, **ours}


def explanation_view(row: Row, base: str, events: list[Row]) -> dict[str, Any]:
    """The original's `{"explanation": {...}}` and ours beside it (attempts, mapping, timings,
    brand evidence, speech, logos, and what the settings changed: `settings_notes`)."""
    exp = _json(row.get("explanation")) or {}
    settings = _json(row.get("settings")) or {}
    ours_art = artifacts_view(row, base)
    lines = [compat.event_line(event_view(e)) for e in events]
    original = compat.explanation(row, ours_art, _json(row.get("result")), settings, lines)
    return {"explanation": original,
            "job_id": row["job_id"], "attempts": exp.get("attempts", []),
            "mapping": exp.get("mapping"), "timings": exp.get("timings", {}),
            "brand": exp.get("brand"), "speech": exp.get("speech"), "logos": exp.get("logos"),
            "agent": exp.get("agent"), "agent_steps": exp.get("agent_steps", []),
            "settings_notes": compat.settings_notes(settings)}


def event_view(ev: Row) -> dict[str, Any]:
    return {"ts": iso(ev["ts"]), "stage": ev.get("stage"), "message": ev.get("message")}


def events_view(events: list[Row]) -> dict[str, Any]:
    """The original's `{"events": ["<ts> <stage>: <detail>", ...]}`, ours under `entries`."""
    entries = [event_view(e) for e in events]
    return {"events": [compat.event_line(e) for e in entries], "entries": entries}
