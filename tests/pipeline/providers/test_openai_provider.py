"""OpenAICompatProvider through the real `openai` client against a local server speaking the
OpenAI chat completions API (as vLLM and llama.cpp server do)."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

import pytest

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import PipelineError
from adclf.pipeline.providers import get_provider
from adclf.pipeline.providers.openai_compat import OpenAICompatProvider
from adclf.pipeline.providers.prompt import RESPONSE_SCHEMA, SYSTEM_PROMPT
from adclf.pipeline.types import Evidence
from tests.fakes import FakeOpenAI

BRAND, CATEGORY = "Maison Dupré", "Bakeries"
SECRET = "sk-test-5f3a9c0d2b7e41"
Make = Callable[..., Settings]


def provider(settings: Settings, **job: object) -> OpenAICompatProvider:
    job_settings = JobSettings.model_validate({"provider": "openai", **job})
    return OpenAICompatProvider(settings, job_settings, backoff=0.01)


def test_classifies_with_images_as_data_urls_and_json_schema(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url)
    result = provider(settings).classify(evidence)
    assert (result.brand, result.category) == (BRAND, CATEGORY)
    assert (result.provider, result.model) == ("openai", "qwen3-vl-8b-instruct")

    (req,) = openai_server.chat_requests()
    body = req.body
    assert body["model"] == "qwen3-vl-8b-instruct"
    assert body["temperature"] == 0.0
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "ad_classification", "schema": RESPONSE_SCHEMA, "strict": True},
    }
    system, user = body["messages"]
    assert system == {"role": "system", "content": SYSTEM_PROMPT}
    kinds = [part["type"] for part in user["content"]]
    assert kinds == ["text", "image_url", "image_url", "image_url"]
    assert all(p["image_url"]["url"].startswith("data:image/jpeg;base64,")
               for p in user["content"][1:])
    assert [(i.format, max(i.width, i.height)) for i in req.images] == [("JPEG", 768)] * 3
    assert "maisondupre.fr" in req.text
    # no key configured: a placeholder, since local servers ignore it but the client needs one
    assert req.headers["authorization"] == "Bearer not-needed"


def test_api_key_and_model_name_are_sent(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.api_key = SECRET
    openai_server.behaviour.models = ["qwen3-vl-8b-instruct", "llava-1.6"]
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, OPENAI_API_KEY=SECRET)
    result = provider(settings, model_name="llava-1.6").classify(evidence)
    assert result.model == "llava-1.6"
    req = openai_server.chat_requests()[0]
    assert req.headers["authorization"] == f"Bearer {SECRET}"
    assert req.body["model"] == "llava-1.6"


def test_factory_builds_the_openai_provider(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url)
    built = get_provider(settings, JobSettings.model_validate({"provider": "openai"}))
    assert isinstance(built, OpenAICompatProvider)
    assert built.classify(evidence).brand == BRAND


def test_bad_api_key_is_clear_and_never_leaks(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.api_key = "the-right-key"
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, OPENAI_API_KEY=SECRET)
    built = provider(settings)
    with pytest.raises(PipelineError) as info:
        built.classify(evidence)
    message = str(info.value)
    assert "refused the API key (HTTP 401); check OPENAI_API_KEY" in message
    assert openai_server.chat_requests()[0].status == 401  # the fake quoted the key back...
    rendered = "".join(traceback.format_exception(info.value))
    assert SECRET not in rendered and SECRET not in repr(built)  # ...and it went no further
    assert len(openai_server.chat_requests()) == 1  # not retried


def test_missing_model_is_a_clear_error(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url)
    with pytest.raises(PipelineError) as info:
        provider(settings, model_name="gpt-9").classify(evidence)
    assert str(info.value).startswith(
        f"model 'gpt-9' was not found on the OpenAI-compatible server at "
        f"{openai_server.base_url} (HTTP 404)"
    )
    assert len(openai_server.chat_requests()) == 1


def test_server_down_is_a_clear_error(
    closed_port: int, make_settings: Make, evidence: Evidence
) -> None:
    settings = make_settings(OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port}/v1",
                             PROVIDER_RETRIES=1)
    with pytest.raises(PipelineError) as info:
        provider(settings).classify(evidence)
    assert str(info.value).startswith(
        f"the OpenAI-compatible server is not reachable at http://127.0.0.1:{closed_port}/v1: "
        "connection refused"
    )


def test_5xx_is_retried_then_succeeds(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.fail = 2
    openai_server.behaviour.fail_status = 503
    result = provider(make_settings(OPENAI_BASE_URL=openai_server.base_url)).classify(evidence)
    assert result.brand == BRAND
    assert [r.status for r in openai_server.chat_requests()] == [503, 503, 200]


def test_5xx_beyond_retries_fails(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.fail = 9
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, PROVIDER_RETRIES=2)
    with pytest.raises(PipelineError, match=r"failed \(HTTP 500\).*gave up after 3 attempts"):
        provider(settings).classify(evidence)
    assert len(openai_server.chat_requests()) == 3


def test_4xx_other_than_auth_and_model_is_not_retried(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.fail = 9
    openai_server.behaviour.fail_status = 400
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url)
    with pytest.raises(PipelineError, match=r"refused the request \(HTTP 400\)"):
        provider(settings).classify(evidence)
    assert len(openai_server.chat_requests()) == 1


def test_malformed_json_content_is_asked_again(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.invalid_json = 1
    result = provider(make_settings(OPENAI_BASE_URL=openai_server.base_url)).classify(evidence)
    assert result.brand == BRAND
    assert len(openai_server.chat_requests()) == 2


def test_malformed_json_every_time_fails(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.answer = '{"brand": "Maison Dupré", "category": '
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, PROVIDER_RETRIES=1)
    with pytest.raises(PipelineError, match="did not return the JSON answer"):
        provider(settings).classify(evidence)


def test_timeout_is_a_clear_error(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.delay = 5.0
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, PROVIDER_TIMEOUT=0.3,
                             PROVIDER_RETRIES=0)
    started = time.monotonic()
    with pytest.raises(PipelineError, match=r"did not answer within 0\.3 s"):
        provider(settings).classify(evidence)
    assert time.monotonic() - started < 3.0


def test_low_confidence_asks_again(
    openai_server: FakeOpenAI, make_settings: Make, evidence: Evidence
) -> None:
    openai_server.behaviour.confidence = [0.5, 0.75]
    result = provider(make_settings(OPENAI_BASE_URL=openai_server.base_url)).classify(evidence)
    assert (result.confidence, result.raw["chosen"]) == (pytest.approx(0.75), "strict")
    assert "Look again" in openai_server.chat_requests()[1].text
