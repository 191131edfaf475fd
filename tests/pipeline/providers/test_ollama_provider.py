"""OllamaProvider through the real `ollama` client against a local server speaking Ollama's API."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import PipelineError
from adclf.pipeline.providers import get_provider
from adclf.pipeline.providers.ollama import OllamaProvider
from adclf.pipeline.providers.prompt import INVALID_JSON_REMINDER, RESPONSE_SCHEMA, SYSTEM_PROMPT
from adclf.pipeline.types import Evidence
from tests.fakes import FakeOllama

BRAND, CATEGORY = "Maison Dupré", "Bakeries"
Make = Callable[..., Settings]


def provider(settings: Settings, **job: object) -> OllamaProvider:
    job_settings = JobSettings.model_validate({"provider": "ollama", **job})
    return OllamaProvider(settings, job_settings, backoff=0.01)


def test_classifies_from_ocr_text_and_frames(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OLLAMA_HOST=ollama_server.host)
    result = provider(settings).classify(evidence)
    assert (result.brand, result.category) == (BRAND, CATEGORY)
    assert result.confidence == pytest.approx(0.92)
    assert (result.provider, result.model) == ("ollama", "qwen3-vl:8b-instruct")
    assert result.raw["chosen"] == "initial" and len(result.raw["calls"]) == 1
    assert len(result.raw["frames"]) == 3

    (req,) = ollama_server.chat_requests()
    body = req.body
    assert body["model"] == "qwen3-vl:8b-instruct"
    assert body["stream"] is False
    assert body["format"] == RESPONSE_SCHEMA
    assert body["options"] == {"temperature": 0.0, "num_ctx": 8192}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert req.system == SYSTEM_PROMPT and "French" in req.system
    assert "maisondupre.fr" in req.text and "Croissants au beurre" in req.text
    # three scenes -> three distinct frames, each a real JPEG shrunk to 768 px
    assert [(i.format, i.width, i.height) for i in req.images] == [("JPEG", 768, 432)] * 3


def test_job_settings_choose_model_context_and_temperature(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OLLAMA_HOST=ollama_server.host)
    result = provider(settings, model_name="llava:7b", context_size=16384,
                      temperature=0.2).classify(evidence)
    assert result.model == "llava:7b"
    body = ollama_server.chat_requests()[0].body
    assert body["model"] == "llava:7b"
    assert body["options"] == {"temperature": 0.2, "num_ctx": 16384}


def test_factory_builds_the_ollama_provider(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OLLAMA_HOST=ollama_server.host, DEFAULT_PROVIDER="ollama")
    built = get_provider(settings, JobSettings.model_validate({}))
    assert isinstance(built, OllamaProvider)
    assert built.classify(evidence).brand == BRAND


def test_evidence_without_frames_sends_no_images(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    evidence.frames = []
    result = provider(make_settings(OLLAMA_HOST=ollama_server.host)).classify(evidence)
    assert result.brand == BRAND
    req = ollama_server.chat_requests()[0]
    assert req.images == [] and "images" not in req.body["messages"][1]


def test_missing_model_is_a_clear_error_without_retry(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OLLAMA_HOST=ollama_server.host)
    with pytest.raises(PipelineError) as info:
        provider(settings, model_name="gemma3:4b").classify(evidence)
    assert str(info.value) == (
        f"model 'gemma3:4b' is not installed on the Ollama server at {ollama_server.host}; "
        "run `ollama pull gemma3:4b`"
    )
    assert len(ollama_server.chat_requests()) == 1


def test_server_down_is_a_clear_error(
    closed_port: int, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OLLAMA_HOST=f"http://127.0.0.1:{closed_port}", PROVIDER_RETRIES=1)
    with pytest.raises(PipelineError) as info:
        provider(settings).classify(evidence)
    assert str(info.value).startswith(
        f"Ollama is not reachable at http://127.0.0.1:{closed_port}: connection refused"
    )
    assert "after 2 attempts" in str(info.value)


def test_server_errors_are_retried_then_succeed(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.fail = 2
    result = provider(make_settings(OLLAMA_HOST=ollama_server.host)).classify(evidence)
    assert result.brand == BRAND
    assert [r.status for r in ollama_server.chat_requests()] == [500, 500, 200]
    errors = [c.get("error", "") for c in result.raw["calls"]]
    assert "HTTP 500" in errors[0] and "HTTP 500" in errors[1] and errors[2] == ""


def test_server_errors_beyond_retries_fail(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.fail = 5
    settings = make_settings(OLLAMA_HOST=ollama_server.host, PROVIDER_RETRIES=1)
    with pytest.raises(PipelineError, match=r"failed \(HTTP 500\).*gave up after 2 attempts"):
        provider(settings).classify(evidence)
    assert len(ollama_server.chat_requests()) == 2


def test_invalid_json_is_asked_again(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.invalid_json = 1
    result = provider(make_settings(OLLAMA_HOST=ollama_server.host)).classify(evidence)
    assert result.brand == BRAND
    first, second = ollama_server.chat_requests()
    assert INVALID_JSON_REMINDER.strip() not in first.text
    assert INVALID_JSON_REMINDER.strip() in second.text


def test_invalid_json_every_time_fails(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.invalid_json = 10
    settings = make_settings(OLLAMA_HOST=ollama_server.host, PROVIDER_RETRIES=0)
    with pytest.raises(PipelineError, match="did not return the JSON answer asked for after 2"):
        provider(settings).classify(evidence)
    assert len(ollama_server.chat_requests()) == 2


def test_timeout_is_a_clear_error(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.delay = 5.0
    settings = make_settings(OLLAMA_HOST=ollama_server.host, PROVIDER_TIMEOUT=0.3,
                             PROVIDER_RETRIES=0)
    started = time.monotonic()
    with pytest.raises(PipelineError, match=r"did not answer within 0\.3 s"):
        provider(settings).classify(evidence)
    assert time.monotonic() - started < 3.0


def test_low_confidence_asks_again_strictly_and_keeps_the_better(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.confidence = [0.45, 0.81]
    result = provider(make_settings(OLLAMA_HOST=ollama_server.host)).classify(evidence)
    assert result.confidence == pytest.approx(0.81)
    assert result.raw["chosen"] == "strict"
    assert [c["answer"]["confidence"] for c in result.raw["calls"]] == [0.45, 0.81]
    first, second = ollama_server.chat_requests()
    assert "Look again" not in first.text
    assert "Look again" in second.text and '"confidence": 0.45' in second.text


def test_low_confidence_reask_that_is_worse_is_dropped(
    ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    ollama_server.behaviour.confidence = [0.6, 0.2]
    result = provider(make_settings(OLLAMA_HOST=ollama_server.host)).classify(evidence)
    assert (result.confidence, result.raw["chosen"]) == (pytest.approx(0.6), "initial")
    assert len(ollama_server.chat_requests()) == 2


def test_host_without_scheme_works_and_is_named_with_it(
    closed_port: int, ollama_server: FakeOllama, make_settings: Make, evidence: Evidence
) -> None:
    bare = make_settings(OLLAMA_HOST=f"127.0.0.1:{ollama_server.port}")
    assert provider(bare).classify(evidence).brand == BRAND
    down = make_settings(OLLAMA_HOST=f"127.0.0.1:{closed_port}", PROVIDER_RETRIES=0)
    with pytest.raises(PipelineError, match=f"not reachable at http://127.0.0.1:{closed_port}:"):
        provider(down).classify(evidence)
