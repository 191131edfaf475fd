"""CatalogueService: the packaged taxonomy, and the model list of a real (loopback) Ollama-style
server or a clear Unavailable when there is none."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from support import QuietHandler, free_port

from adclf.config import Settings
from adclf.errors import Unavailable
from adclf.services.catalogue import CatalogueService

TAGS = {"models": [{"name": "qwen2.5vl:3b", "model": "qwen2.5vl:3b", "size": 3_200_000_000,
                    "modified_at": "2026-11-30T10:00:00Z", "digest": "abc123",
                    "details": {"family": "qwen25vl"}}]}


class _Tags(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/api/tags":
            self.send_body(200, json.dumps(TAGS).encode(), "application/json")
        else:
            self.send_body(404, b"{}", "application/json")


@pytest.fixture
def ollama_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tags)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()


def test_taxonomy_tree() -> None:
    tax = asyncio.run(CatalogueService(Settings()).taxonomy())
    assert tax["nodes"] > 100 and tax["tree"]
    assert {"id", "name", "children"} <= set(tax["tree"][0])


def test_ollama_models_with_the_host_redacted(ollama_port: int) -> None:
    settings = Settings(OLLAMA_HOST=f"http://user:secret@127.0.0.1:{ollama_port}")
    got = asyncio.run(CatalogueService(settings).ollama_models())
    assert [m["name"] for m in got["models"]] == ["qwen2.5vl:3b"]
    assert "secret" not in got["host"] and got["host"].endswith(f"127.0.0.1:{ollama_port}")


def test_ollama_models_without_a_server_is_unavailable() -> None:
    settings = Settings(OLLAMA_HOST=f"127.0.0.1:{free_port()}")
    with pytest.raises(Unavailable, match="Ollama"):
        asyncio.run(CatalogueService(settings).ollama_models())


def test_provider_models_in_the_originals_shape(ollama_port: int) -> None:
    settings = Settings(OLLAMA_HOST=f"http://127.0.0.1:{ollama_port}")
    models, reason = asyncio.run(CatalogueService(settings).provider_models("Ollama"))
    assert reason is None and [m["name"] for m in models] == ["qwen2.5vl:3b"]
    assert {"name", "size", "modified_at"} <= set(models[0])


def test_provider_models_empty_with_a_reason_when_unreachable() -> None:
    settings = Settings(OLLAMA_HOST=f"127.0.0.1:{free_port()}",
                        OPENAI_BASE_URL=f"http://127.0.0.1:{free_port()}/v1")
    service = CatalogueService(settings)
    for provider in ("ollama", "llama-server", "LM Studio"):
        models, reason = asyncio.run(service.provider_models(provider))
        assert models == [] and reason, provider
    assert asyncio.run(service.provider_models("Gemini CLI"))[1] == \
        "provider 'Gemini CLI' has no model list"


def test_taxonomy_explorer_in_the_originals_shape() -> None:
    got = asyncio.run(CatalogueService(Settings()).explorer())
    assert got["enabled"] is True and got["stats"]["item_count"] == len(got["items"])
    assert got["stats"]["root_count"] == len(got["groups"]) and got["stats"]["max_level"] >= 2
    item = next(i for i in got["items"] if i["level"] == 2)
    assert item["path_ids"][-1] == item["id"] and item["path_names"][-1] == item["name"]
    assert item["path_text"] == " > ".join(item["path_names"])
    assert item["industry_id"] == item["path_ids"][0] and item["parent_id"] == item["path_ids"][0]
    diag = asyncio.run(CatalogueService(Settings()).mapper_diagnostics())
    assert diag["category_count"] == got["stats"]["item_count"]
