"""Listing the models of the configured model servers (what `GET /ollama/models` shows)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adclf.config import Settings
from adclf.errors import Unavailable
from adclf.pipeline.providers.models import list_ollama_models, list_openai_models
from tests.fakes import FakeOllama, FakeOpenAI

Make = Callable[..., Settings]


def test_list_ollama_models(ollama_server: FakeOllama, make_settings: Make) -> None:
    ollama_server.behaviour.models = ["qwen3-vl:8b-instruct", "llava:7b", "gemma3:4b"]
    models = list_ollama_models(make_settings(OLLAMA_HOST=ollama_server.host))
    # newest first (the fake dates its models January, February, March)
    assert [m["name"] for m in models] == ["gemma3:4b", "llava:7b", "qwen3-vl:8b-instruct"]
    first = models[0]
    assert first["size"] == 6_100_000_002
    assert first["modified_at"].startswith("2026-03-15T10:00:00")
    assert first["details"]["family"] == "llama"
    assert first["details"]["quantization_level"] == "Q4_K_M"
    assert [r.path for r in ollama_server.requests] == ["/api/tags"]


def test_list_ollama_models_empty(ollama_server: FakeOllama, make_settings: Make) -> None:
    ollama_server.behaviour.models = []
    assert list_ollama_models(make_settings(OLLAMA_HOST=ollama_server.host)) == []


def test_list_ollama_models_unreachable(closed_port: int, make_settings: Make) -> None:
    settings = make_settings(OLLAMA_HOST=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(Unavailable) as info:
        list_ollama_models(settings)
    assert str(info.value) == (
        f"Ollama is not reachable at http://127.0.0.1:{closed_port}: connection refused"
    )
    assert info.value.http_status == 503


def test_list_openai_models(openai_server: FakeOpenAI, make_settings: Make) -> None:
    openai_server.behaviour.models = ["qwen3-vl-8b-instruct", "llava-1.6"]
    models = list_openai_models(make_settings(OPENAI_BASE_URL=openai_server.base_url))
    assert [m["id"] for m in models] == ["qwen3-vl-8b-instruct", "llava-1.6"]
    assert models[0]["owned_by"] == "llamacpp"
    assert [r.path for r in openai_server.requests] == ["/v1/models"]


def test_list_openai_models_bad_key(openai_server: FakeOpenAI, make_settings: Make) -> None:
    openai_server.behaviour.api_key = "right"
    secret = "sk-wrong-0123456789"
    settings = make_settings(OPENAI_BASE_URL=openai_server.base_url, OPENAI_API_KEY=secret)
    with pytest.raises(Unavailable) as info:
        list_openai_models(settings)
    assert "refused the API key" in str(info.value) and secret not in str(info.value)


def test_list_openai_models_unreachable(closed_port: int, make_settings: Make) -> None:
    settings = make_settings(OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port}/v1")
    with pytest.raises(Unavailable, match="not reachable at .*: connection refused"):
        list_openai_models(settings)
