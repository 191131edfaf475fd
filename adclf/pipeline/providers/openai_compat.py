"""Classifier provider for any OpenAI-compatible chat completions server (vLLM, llama.cpp server,
LM Studio...). The API key never appears in errors, events or `Classification.raw`."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam

from adclf.errors import PipelineError
from adclf.pipeline.providers.answer import InvalidAnswer
from adclf.pipeline.providers.chat import Ask, ChatProvider
from adclf.pipeline.providers.endpoints import OpenAIEndpoint
from adclf.pipeline.providers.failures import Transient, connect_detail
from adclf.pipeline.providers.prompt import RESPONSE_SCHEMA, SYSTEM_PROMPT
from adclf.security.redact import redact_url

NO_KEY = "not-needed"


def scrub(text: str, secret: str | None) -> str:
    """Servers echo (parts of) a bad key in their messages; never pass it on."""
    if secret and secret != NO_KEY:
        text = text.replace(secret, "***")
    return text


def openai_error(err: BaseException, base_url: str, model: str, timeout: float,
                 api_key: str | None) -> Exception:
    """An `openai` client failure -> PipelineError (final) or Transient (worth retrying)."""
    where = redact_url(base_url)
    if isinstance(err, openai.APITimeoutError):
        return Transient(f"the OpenAI-compatible server at {where} did not answer within "
                         f"{timeout:g} s (model '{model}')")
    if isinstance(err, openai.APIConnectionError):
        return Transient(f"the OpenAI-compatible server is not reachable at {where}: "
                         f"{connect_detail(err)}")
    if isinstance(err, openai.AuthenticationError | openai.PermissionDeniedError):
        # Deliberately not the server's text: it often quotes the key.
        return PipelineError(f"the OpenAI-compatible server at {where} refused the API key "
                             f"(HTTP {err.status_code}); check OPENAI_API_KEY")
    if isinstance(err, openai.NotFoundError):
        return PipelineError(f"model '{model}' was not found on the OpenAI-compatible server at "
                             f"{where} (HTTP 404): {scrub(err.message, api_key)}")
    if isinstance(err, openai.APIStatusError):
        message = scrub(err.message, api_key)
        if err.status_code >= 500 or err.status_code in (408, 409, 429):
            return Transient(f"the OpenAI-compatible server at {where} failed "
                             f"(HTTP {err.status_code}): {message}")
        return PipelineError(f"the OpenAI-compatible server at {where} refused the request "
                             f"(HTTP {err.status_code}): {message}")
    if isinstance(err, openai.APIResponseValidationError):
        return Transient(f"the server at {where} did not answer like an OpenAI-compatible server")
    return PipelineError(f"OpenAI-compatible call failed: {type(err).__name__}: "
                         f"{scrub(str(err), api_key)}")


def image_part(jpeg: bytes) -> dict[str, Any]:
    data = base64.b64encode(jpeg).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{data}"}}


class OpenAICompatProvider(OpenAIEndpoint, ChatProvider):
    name = "openai"

    def __repr__(self) -> str:  # the default would be harmless, but keep settings out of logs
        return f"OpenAICompatProvider(base_url={redact_url(self.base_url)!r}, model={self.model!r})"

    @contextmanager
    def session(self) -> Iterator[Ask]:
        # Retries are ours (same policy and record as the Ollama provider), not the client's.
        with openai.OpenAI(
            base_url=self.base_url,
            api_key=self.settings.OPENAI_API_KEY or NO_KEY,
            timeout=self.timeout,
            max_retries=0,
        ) as client:
            yield lambda prompt, images: self._complete(
                client, prompt, [image_part(jpeg) for jpeg in images])

    def _complete(self, client: openai.OpenAI, prompt: str, images: list[dict[str, Any]]) -> str:
        messages = cast(
            list[ChatCompletionMessageParam],
            [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": [{"type": "text", "text": prompt}, *images]},
            ],
        )
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=self.job_settings.temperature,
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": "ad_classification",
                        "schema": RESPONSE_SCHEMA,
                        "strict": True,
                    },
                },
            )
        except Exception as err:  # noqa: BLE001 - every failure is translated, none swallowed
            raise openai_error(
                err, self.base_url, self.model, self.timeout, self.settings.OPENAI_API_KEY
            ) from None
        choices = getattr(completion, "choices", None)
        if not choices:
            raise InvalidAnswer("the server returned no choices")
        choice = choices[0]
        content = choice.message.content or ""
        if choice.finish_reason == "length":
            raise InvalidAnswer(
                "the answer was cut off (finish_reason=length); the context may be too small"
            )
        return content
