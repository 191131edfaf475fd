"""The original's request settings, as its dashboard (Jobs page) and its parity fixtures send
them, accepted by the live service; unknown keys still refused, with a readable 422."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import LiveServer

from adclf.domain import JobSettings

# What the original's Jobs page posts (its defaults), and its parity fixtures' settings.
DASHBOARD: dict[str, Any] = {
    "categories": "", "provider": "Llama Server", "model_name": "qwen3-vl:8b-instruct",
    "category_embedding_model": "BAAI/bge-large-en-v1.5", "ocr_engine": "EasyOCR",
    "ocr_mode": "Fast", "scan_mode": "Tail Only", "express_mode": False, "override": False,
    "enable_search": True, "enable_web_search": True, "enable_vision_board": True,
    "enable_llm_frame": True, "product_focus_guidance_enabled": True, "context_size": 16384}
FIXTURE: dict[str, Any] = {
    "categories": "Cars, Insurance, Finance, Technology, Retail", "provider": "Ollama",
    "model_name": "qwen3-vl:8b-instruct", "ocr_engine": "EasyOCR", "ocr_mode": "Fast",
    "scan_mode": "Full Scan", "override": False, "enable_search": False, "enable_vision": False,
    "context_size": 8192}


@pytest.mark.parametrize(("sent", "field", "want"), [
    ({"provider": "Ollama"}, "provider", "ollama"),
    ({"provider": "Llama Server"}, "provider", "openai"),
    ({"provider": "LM Studio"}, "provider", "openai"),
    ({"ocr_engine": "EasyOCR"}, "ocr_engine", "rapidocr"),
    ({"ocr_engine": "Florence"}, "ocr_engine", "rapidocr"),
    ({"scan_mode": "Full Scan"}, "scan_mode", "Full Video"),
    ({"ocr_mode": "detailed"}, "ocr_mode", "Detailed"),
    ({"categories": "Cars, Insurance ,, Retail"}, "categories", ["Cars", "Insurance", "Retail"]),
    ({"categories": ["Cars", " Retail "]}, "categories", ["Cars", "Retail"]),
    ({"categories": ""}, "categories", None),
    ({"enable_vision": False}, "enable_llm_frame", False),
])
def test_original_spellings_are_read(sent: dict[str, Any], field: str, want: Any) -> None:
    assert getattr(JobSettings.model_validate(sent), field) == want


def test_substitutions_are_recorded_and_survive_a_second_read() -> None:
    first = JobSettings.model_validate(FIXTURE)
    assert any("EasyOCR" in n for n in first.substitutions)
    again = JobSettings.model_validate(first.model_dump())  # as a worker reads the stored job
    assert again.substitutions == first.substitutions and again.ocr_engine == "rapidocr"


def test_dashboard_and_fixture_payloads_are_accepted(live_server: LiveServer,
                                                      sample_ad: Path) -> None:
    with live_server.client() as c:
        for settings in (DASHBOARD, FIXTURE):
            r = c.post("/jobs/by-filepath", json={"mode": "pipeline",
                                                  "file_path": str(sample_ad),
                                                  "settings": settings})
            assert r.status_code == 200, r.text
            job = c.get(f"/jobs/{r.json()['job_id']}").json()
            assert job["settings"]["ocr_engine"] == "rapidocr"
            c.delete(f"/jobs/{job['job_id']}")


def test_upload_with_the_parity_clients_form_fields(live_server: LiveServer,
                                                    sample_ad: Path) -> None:
    form = {"mode": "pipeline", "categories": FIXTURE["categories"], "provider": "Ollama",
            "model_name": FIXTURE["model_name"], "ocr_engine": "EasyOCR", "ocr_mode": "Fast",
            "scan_mode": "Tail Only", "override": "0", "enable_search": "0",
            "enable_vision": "0", "context_size": "8192"}
    with live_server.client() as c, sample_ad.open("rb") as fh:
        r = c.post("/jobs/upload?internal=1", files={"file": ("ad.mp4", fh, "video/mp4")},
                   data=form)
        assert r.status_code == 200, r.text
        job = c.get(f"/jobs/{r.json()['job_id']}").json()
        assert job["settings"]["provider"] == "ollama"
        assert job["settings"]["categories"] == ["Cars", "Insurance", "Finance", "Technology",
                                                 "Retail"]
        c.delete(f"/jobs/{job['job_id']}")


def test_unknown_keys_are_refused_with_a_readable_message(live_server: LiveServer) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": ["https://example.com/a.mp4"],
                                          "settings": {"bogus": 1, "provider": "Gemini CLI"}})
    assert r.status_code == 422
    body = r.json()
    # The original's UI prints String(detail): a message, not "[object Object]".
    assert isinstance(body["detail"], str) and "bogus" in body["detail"]
    assert "provider" in body["detail"]
    assert {e["loc"][-1] for e in body["errors"]} == {"bogus", "provider"}
