"""The original's wire shapes built from stored jobs (pure functions: no Ray, no store)."""

from __future__ import annotations

import json

from adclf.services import compat, views
from adclf.services.analytics import original_analytics

RESULT = {"brand": "Ecomaison", "category": "Retail", "category_id": "1494",
          "category_name": "Home Furnishings", "parent_category": "Retail",
          "parent_category_id": "1494", "industry_id": "1494", "industry_name": "Retail",
          "confidence": 0.9, "reasoning": "end card", "raw_category": "home goods",
          "mapper_method": "embedding", "mapper_score": 0.61, "provider": "embedded",
          "model": "m", "job_label": "Retail"}
TRACE = [{"type": "initial", "trigger": "scan mode Tail Only", "frames": [34.0, 35.9],
          "ocr_excerpt": "Ecomaison", "result": {"brand": "Ecomaison", "category": "x",
                                                 "confidence": 0.9},
          "accepted": True, "reason": "confident"}]


def _row(**extra: object) -> dict[str, object]:
    return {"job_id": "node-a-1", "node": "node-a", "status": "completed", "stage": "completed",
            "mode": "pipeline", "source_kind": "file", "source": "/srv/a.mp4",
            "created_at": 100.0, "updated_at": 130.0, "started_at": 110.0,
            "finished_at": 130.0, "brand": "Ecomaison", "category": "Retail",
            "settings": json.dumps({"ocr_engine": "rapidocr", "enable_search": True,
                                    "substitutions": ["ocr_engine 'EasyOCR' is not available "
                                                      "offline: rapidocr was used"]}),
            "result": json.dumps(RESULT),
            "artifacts": json.dumps({"frames": [{"name": "frames/f1.jpg", "timestamp": 35.9}],
                                     "ocr_text": "Ecomaison\nbonne année",
                                     "ocr_lines": [{"text": "Ecomaison"},
                                                   {"text": "bonne année"}],
                                     "mapper_top": [{"id": "1494", "name": "Retail",
                                                     "path": "Retail", "score": 0.6}],
                                     "trace": TRACE}),
            "explanation": json.dumps({"attempts": TRACE}), **extra}


def test_result_row_has_the_originals_capitalised_and_lowercase_keys() -> None:
    got = views.result_view(_row())
    (row,) = got["result"]
    assert (row["Brand"], row["Category"], row["Category ID"]) == ("Ecomaison", "Retail", "1494")
    assert row["Confidence"] == row["confidence"] == 0.9 and row["Reasoning"] == "end card"
    assert row["category_name"] == "Home Furnishings" and row["job_label"] == "Retail"
    assert got["brand"] == "Ecomaison" and got["mapper_method"] == "embedding"  # ours beside
    assert views.result_view(_row(result=None, status="queued"))["result"] is None


def test_artifacts_and_explanation_wrap_the_original_beside_ours() -> None:
    art = views.artifacts_view(_row(), "http://h")
    original = art["artifacts"]
    assert original["ocr_text"] == {"text": "Ecomaison\nbonne année",
                                    "lines": ["Ecomaison", "bonne année"], "url": None}
    assert original["latest_frames"] == [{"timestamp": 35.9, "label": "frames/f1.jpg",
                                          "url": "http://h/jobs/node-a-1/artifacts/frames/f1.jpg"}]
    assert original["category_mapper"]["top_matches"][0]["label"] == "Retail"
    trace = original["processing_trace"]
    assert trace["attempts"][0]["status"] == "accepted" and trace["attempts"][0]["frame_count"] == 2
    assert trace["summary"]["accepted_attempt_type"] == "initial"
    assert art["ocr_text"] == "Ecomaison\nbonne année" and art["frames"]  # ours
    assert art["poster_url"] == "http://h/jobs/node-a-1/video-poster"
    events = [{"ts": 111.0, "stage": "ocr", "message": "2 lines"}]
    exp = views.explanation_view(_row(), "http://h", events)
    assert exp["explanation"]["final"]["brand"] == "Ecomaison"
    assert exp["explanation"]["evidence"]["recent_events"] == \
        ["1970-01-01T00:01:51Z ocr: 2 lines"]
    notes = exp["settings_notes"]
    assert any("EasyOCR" in n for n in notes) and any("offline" in n for n in notes[1:])
    assert exp["explanation"]["summary"]["settings_notes"] == notes


def test_events_are_the_originals_lines_with_ours_under_entries() -> None:
    got = views.events_view([{"ts": 0.0, "stage": "queued", "message": "waiting"},
                             {"ts": 1.5, "stage": None, "message": None}])
    assert got["events"] == ["1970-01-01T00:00:00Z queued: waiting",
                             "1970-01-01T00:00:01.500000Z event:"]
    assert got["entries"][0] == {"ts": "1970-01-01T00:00:00Z", "stage": "queued",
                                 "message": "waiting"}


def test_cluster_nodes_map() -> None:
    views_ = [{"node": "a", "address": "10.0.0.1", "available": True, "maintenance": True,
               "accepting_new_jobs": False},
              {"node": "b", "address": "", "available": False, "maintenance": False,
               "accepting_new_jobs": False}]
    got = compat.cluster_nodes(views_, "a")
    assert got["nodes"] == {"a": "10.0.0.1", "b": "b"} and got["self"] == "a"
    assert got["status"] == {"a": True, "b": False}
    assert got["maintenance"] == {"a": True, "b": False}
    assert got["accepting_new_jobs"] == {"a": False, "b": False}


def test_original_analytics_from_rows() -> None:
    rows = [_row(), _row(job_id="node-a-2", brand="NIKE", finished_at=150.0),
            _row(job_id="node-a-3", status="failed", brand=None),
            _row(job_id="node-a-4", status="queued", started_at=None, finished_at=None)]
    got = original_analytics(rows, [{"attempts": TRACE}], "embedded")
    assert got["totals"] == {"total": 4, "completed": 2, "failed": 1, "avg_duration": 30.0}
    assert {b["brand"] for b in got["top_brands"]} == {"Ecomaison", "NIKE"}
    assert got["categories"] == [{"category": "Retail", "count": 2}]
    assert got["providers"] == [{"provider": "embedded", "count": 2}]
    assert got["duration_percentiles"]["count"] == 2 and got["duration_percentiles"]["p50"] == 30.0
    assert got["path_metrics"]["accepted_paths"] == [
        {"attempt_type": "initial", "title": "Initial Tail Pass", "count": 1}]
    assert got["daily_outcomes"] == [{"day": "1970-01-01", "status": "completed", "count": 2},
                                     {"day": "1970-01-01", "status": "failed", "count": 1}]
