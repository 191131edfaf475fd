"""What the by-hand check with the original's own dashboard found (docs/api-compat.md, "Checked
with the original dashboard"): every choice its Jobs form offers must be accepted, not only its
defaults. The option values are the ones its form sends (read in its public Jobs page); its
"Florence-2 (Microsoft)" OCR engine was answered with a 422 before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import LiveServer

from adclf.domain import JobSettings

# Its form's defaults, then each <select>'s options as the values it posts.
FORM_DEFAULTS: dict[str, Any] = {
    "categories": "", "provider": "Llama Server", "model_name": "qwen3-vl:8b-instruct",
    "category_embedding_model": "BAAI/bge-large-en-v1.5", "ocr_engine": "EasyOCR",
    "ocr_mode": "Fast", "scan_mode": "Tail Only", "express_mode": False, "override": False,
    "enable_search": True, "enable_web_search": True, "enable_vision_board": True,
    "enable_llm_frame": True, "product_focus_guidance_enabled": True, "context_size": 16384}
FORM_OPTIONS: dict[str, list[Any]] = {
    "provider": ["Ollama", "LM Studio", "Llama Server"],  # its "Gemini CLI" is refused: no CLI here
    "ocr_engine": ["EasyOCR", "Florence-2 (Microsoft)"],
    "ocr_mode": ["Fast", "Detailed"],
    "scan_mode": ["Tail Only", "Full Video"],
    "express_mode": [False, True],
    "context_size": [8192, 16384, 32768, 65536],
    "category_embedding_model": [
        "BAAI/bge-large-en-v1.5", "jinaai/jina-embeddings-v3", "Alibaba-NLP/gte-large-en-v1.5",
        "sentence-transformers/all-mpnet-base-v2", "sentence-transformers/all-MiniLM-L6-v2",
        "google/embeddinggemma-300m"],
    "enable_web_search": [True, False],
    "enable_vision_board": [True, False],
    "enable_llm_frame": [True, False],
    "product_focus_guidance_enabled": [True, False],
}
CHOICES = [(key, value) for key, values in FORM_OPTIONS.items() for value in values]


@pytest.mark.parametrize(("key", "value"), CHOICES, ids=[f"{k}={v}" for k, v in CHOICES])
def test_every_choice_of_its_jobs_form_is_read(key: str, value: Any) -> None:
    JobSettings.model_validate({**FORM_DEFAULTS, key: value})


def test_its_florence_engine_runs_offline_and_says_so() -> None:
    got = JobSettings.model_validate({**FORM_DEFAULTS, "ocr_engine": "Florence-2 (Microsoft)"})
    assert got.ocr_engine == "rapidocr"
    assert any("Florence-2 (Microsoft)" in note for note in got.substitutions)


def test_its_form_with_every_default_changed_is_accepted(live_server: LiveServer,
                                                         sample_ad: Path) -> None:
    changed = {**FORM_DEFAULTS, "provider": "LM Studio", "ocr_engine": "Florence-2 (Microsoft)",
               "ocr_mode": "Detailed", "scan_mode": "Full Video", "context_size": 65536,
               "category_embedding_model": "jinaai/jina-embeddings-v3", "enable_search": False,
               "enable_web_search": False, "enable_vision_board": False,
               "enable_llm_frame": False, "product_focus_guidance_enabled": False}
    with live_server.client() as c:
        r = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad), "mode": "pipeline",
                                              "settings": changed})
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        stored = c.get(f"/jobs/{job_id}").json()["settings"]
        assert stored["ocr_engine"] == "rapidocr" and stored["scan_mode"] == "Full Video"
        assert stored["provider"] == "openai" and stored["context_size"] == 65536
        # No model server in this suite: the job is not left to retry against one.
        c.delete(f"/jobs/{job_id}")
