"""The tool-calling chat on an OpenAI-compatible server: `tools`, `choices[0].message.tool_calls`
(`{id, type: function, function: {name, arguments: "<JSON text>"}}`) and `role: tool` results
answering a `tool_call_id`. Tool messages are text-only there, so pictures come in the user
message the agent adds after them. The API key never appears in errors or the record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam

from adclf.pipeline.providers.answer import InvalidAnswer
from adclf.pipeline.providers.endpoints import OpenAIEndpoint
from adclf.pipeline.providers.failures import Transient
from adclf.pipeline.providers.openai_compat import NO_KEY, image_part, openai_error
from adclf.pipeline.providers.tool_chat import (
    Message,
    Reply,
    ToolAsk,
    ToolCall,
    ToolChat,
    ToolSpec,
)


def to_wire(message: Message) -> dict[str, Any]:
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if message.role == "assistant":
        out: dict[str, Any] = {"role": "assistant", "content": message.content or None}
        if message.tool_calls:
            out["tool_calls"] = [
                {"id": c.id, "type": "function",
                 "function": {"name": c.name, "arguments": c.raw or "{}"}}
                for c in message.tool_calls
            ]
        return out
    if message.role == "user" and message.images:
        return {"role": "user", "content": [{"type": "text", "text": message.content},
                                            *(image_part(jpeg) for jpeg in message.images)]}
    return {"role": message.role, "content": message.content}


def read_calls(calls: Any) -> list[ToolCall]:
    out: list[ToolCall] = []
    for i, call in enumerate(calls or []):
        fn = getattr(call, "function", None)
        name = str(getattr(fn, "name", "") or "")
        raw = str(getattr(fn, "arguments", "") or "")
        args: Any = None
        error = ""
        try:
            args = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as err:
            error = f"the arguments are not valid JSON: {err.msg}"
        if args is not None and not isinstance(args, dict):
            args, error = None, "the arguments are not a JSON object"
        out.append(ToolCall(id=str(getattr(call, "id", "") or f"call_{i}"), name=name,
                            arguments=args, raw=raw, error=error))
    return out


class OpenAIToolChat(OpenAIEndpoint, ToolChat):
    provider = "openai"

    @contextmanager
    def session(self) -> Iterator[ToolAsk]:
        with openai.OpenAI(base_url=self.base_url, api_key=self.settings.OPENAI_API_KEY or NO_KEY,
                           timeout=self.settings.PROVIDER_TIMEOUT, max_retries=0) as client:
            yield lambda messages, tools, timeout: self._complete(client, messages, tools,
                                                                  timeout)

    def _complete(self, client: openai.OpenAI, messages: list[Message], tools: list[ToolSpec],
                  timeout: float) -> Reply:
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=cast(list[ChatCompletionMessageParam], [to_wire(m) for m in messages]),
                tools=cast(list[ChatCompletionToolParam], [t.wire() for t in tools]),
                temperature=self.job_settings.temperature,
                timeout=timeout,
            )
        except Exception as err:  # noqa: BLE001 - every failure is translated, none swallowed
            raise openai_error(err, self.base_url, self.model, timeout,
                               self.settings.OPENAI_API_KEY) from None
        choices = getattr(completion, "choices", None)
        if not choices:
            raise Transient("the server returned no choices")
        choice = choices[0]
        if choice.finish_reason == "length":
            raise InvalidAnswer("the reply was cut off (finish_reason=length); the context may "
                                "be too small")
        msg = choice.message
        thinking = str(getattr(msg, "reasoning_content", "") or "")
        return Reply(content=msg.content or "", tool_calls=read_calls(msg.tool_calls),
                     thinking=thinking, finish=str(choice.finish_reason or ""))
