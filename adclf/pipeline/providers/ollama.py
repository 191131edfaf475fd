"""Classifier provider that asks a vision model served by Ollama (`/api/chat`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import ollama
import pydantic

from adclf.errors import PipelineError
from adclf.pipeline.providers.answer import InvalidAnswer
from adclf.pipeline.providers.chat import Ask, ChatProvider
from adclf.pipeline.providers.endpoints import OllamaEndpoint
from adclf.pipeline.providers.failures import Transient, connect_detail
from adclf.pipeline.providers.prompt import RESPONSE_SCHEMA, SYSTEM_PROMPT
from adclf.security.redact import redact_url


def ollama_error(err: BaseException, host: str, model: str, timeout: float) -> Exception:
    """An `ollama` client failure -> PipelineError (final) or Transient (worth retrying).
    Shared with models.py so that both speak of the same failure the same way."""
    # The client accepts "host:port" without a scheme; name it the way it is actually reached.
    where = redact_url(host if "://" in host else f"http://{host}")
    if isinstance(err, ollama.ResponseError):
        status = err.status_code
        detail = str(err.error)
        if status == 404 and "not found" in detail.lower():
            return PipelineError(
                f"model '{model}' is not installed on the Ollama server at {where}; "
                f"run `ollama pull {model}`"
            )
        if status >= 500 or status in (408, 429):
            return Transient(f"Ollama at {where} failed (HTTP {status}): {detail}")
        return PipelineError(f"Ollama at {where} refused the request (HTTP {status}): {detail}")
    if isinstance(err, httpx.TimeoutException):
        return Transient(f"Ollama at {where} did not answer within {timeout:g} s (model '{model}')")
    if isinstance(err, ConnectionError | httpx.TransportError):
        return Transient(f"Ollama is not reachable at {where}: {connect_detail(err)}")
    if isinstance(err, json.JSONDecodeError | pydantic.ValidationError):
        return Transient(f"the server at {where} did not answer like Ollama does: {err}")
    return PipelineError(f"Ollama call failed: {type(err).__name__}: {err}")


class OllamaProvider(OllamaEndpoint, ChatProvider):
    name = "ollama"

    @contextmanager
    def session(self) -> Iterator[Ask]:
        with ollama.Client(host=self.host, timeout=self.timeout) as client:
            yield lambda prompt, images: self._chat(client, prompt, images)

    def _chat(self, client: ollama.Client, prompt: str, images: list[bytes]) -> str:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt, "images": images},
        ]
        try:
            response = client.chat(
                model=self.model,
                messages=messages,
                format=RESPONSE_SCHEMA,
                options={
                    "temperature": self.job_settings.temperature,
                    "num_ctx": self.job_settings.context_size,
                },
                stream=False,
            )
        except Exception as err:  # noqa: BLE001 - every failure is translated, none swallowed
            raise ollama_error(err, self.host, self.model, self.timeout) from err
        if response.done_reason == "length":
            raise InvalidAnswer(
                f"the answer was cut off (done_reason=length); num_ctx "
                f"{self.job_settings.context_size} may be too small for {len(images)} images"
            )
        return response.message.content or ""
