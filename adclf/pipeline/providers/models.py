"""Which models the configured model servers offer (the API serves this as `GET /ollama/models`).

Failures raise `Unavailable` (HTTP 503) with the same wording the providers use for a job."""

from __future__ import annotations

from typing import Any

import ollama
import openai

from adclf.config import Settings
from adclf.errors import AdclfError, Unavailable
from adclf.pipeline.providers.ollama import ollama_error
from adclf.pipeline.providers.openai_compat import NO_KEY, openai_error

# Listing is a quick metadata call; a job's long PROVIDER_TIMEOUT would hang a dashboard page.
LIST_TIMEOUT = 10.0


def _unavailable(err: Exception) -> AdclfError:
    return Unavailable(str(err))


def list_ollama_models(settings: Settings) -> list[dict[str, Any]]:
    """Models installed on the Ollama server (`/api/tags`), newest first:
    `{name, model, size, modified_at (ISO 8601), digest, details}`."""
    timeout = min(LIST_TIMEOUT, settings.PROVIDER_TIMEOUT)
    try:
        with ollama.Client(host=settings.OLLAMA_HOST, timeout=timeout) as client:
            listing = client.list()
    except Exception as err:  # noqa: BLE001 - translated below
        raise _unavailable(ollama_error(err, settings.OLLAMA_HOST, "", timeout)) from err
    models: list[dict[str, Any]] = []
    for m in listing.models:
        models.append(
            {
                "name": m.model or "",
                "model": m.model or "",
                "size": int(m.size) if m.size is not None else None,
                "modified_at": m.modified_at.isoformat() if m.modified_at else None,
                "digest": m.digest,
                "details": m.details.model_dump(exclude_none=True) if m.details else {},
            }
        )
    models.sort(key=lambda m: m["modified_at"] or "", reverse=True)
    return models


def list_openai_models(settings: Settings) -> list[dict[str, Any]]:
    """Models offered by the OpenAI-compatible server (`/v1/models`): `{id, owned_by, created}`."""
    timeout = min(LIST_TIMEOUT, settings.PROVIDER_TIMEOUT)
    try:
        with openai.OpenAI(
            base_url=settings.OPENAI_BASE_URL,
            api_key=settings.OPENAI_API_KEY or NO_KEY,
            timeout=timeout,
            max_retries=0,
        ) as client:
            page = client.models.list()
            return [
                {"id": m.id, "owned_by": getattr(m, "owned_by", None),
                 "created": getattr(m, "created", None)}
                for m in page.data
            ]
    except Exception as err:  # noqa: BLE001 - translated below
        raise _unavailable(
            openai_error(err, settings.OPENAI_BASE_URL, "", timeout, settings.OPENAI_API_KEY)
        ) from None
