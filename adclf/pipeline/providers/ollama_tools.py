"""The tool-calling chat on Ollama's `/api/chat` (`tools`, `message.tool_calls` with arguments as
an object, `role: tool` results named by `tool_name`), through the same `ollama` client and the
same failure wording as the one-shot provider."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ollama

from adclf.pipeline.providers.answer import InvalidAnswer
from adclf.pipeline.providers.endpoints import OllamaEndpoint
from adclf.pipeline.providers.ollama import ollama_error
from adclf.pipeline.providers.tool_chat import (
    Message,
    Reply,
    ToolAsk,
    ToolCall,
    ToolChat,
    ToolSpec,
)


def to_wire(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.images:
        out["images"] = list(message.images)
    if message.tool_calls:
        out["tool_calls"] = [
            {"function": {"name": c.name, "arguments": c.arguments or {}}}
            for c in message.tool_calls
        ]
    if message.role == "tool" and message.name:
        out["tool_name"] = message.name
    return out


def read_calls(calls: Any, turn: int) -> list[ToolCall]:
    """Ollama sends arguments as an object; a server that sends a JSON string is read too. Ids
    are ours (Ollama's calls have none) so that results can be told apart in the record."""
    out: list[ToolCall] = []
    for i, call in enumerate(calls or []):
        fn = call.function
        args: Any = fn.arguments
        error = ""
        raw = args if isinstance(args, str) else json.dumps(dict(args or {}), ensure_ascii=False)
        if isinstance(args, str):
            try:
                args = json.loads(args)
            except json.JSONDecodeError as err:
                args, error = None, f"the arguments are not valid JSON: {err.msg}"
        if args is not None and not isinstance(args, dict):
            args, error = None, "the arguments are not a JSON object"
        out.append(ToolCall(id=f"call_{turn}_{i}", name=str(fn.name or ""),
                            arguments=dict(args) if args is not None else None, raw=raw,
                            error=error))
    return out


class OllamaToolChat(OllamaEndpoint, ToolChat):
    provider = "ollama"

    @contextmanager
    def session(self) -> Iterator[ToolAsk]:
        turn = [0]

        def ask(messages: list[Message], tools: list[ToolSpec], timeout: float) -> Reply:
            turn[0] += 1
            # The client's timeout is fixed per client: one per call keeps the agent's deadline.
            with ollama.Client(host=self.host, timeout=timeout) as client:
                return self._chat(client, messages, tools, timeout, turn[0])

        yield ask

    def _chat(self, client: ollama.Client, messages: list[Message], tools: list[ToolSpec],
              timeout: float, turn: int) -> Reply:
        try:
            response = client.chat(
                model=self.model,
                messages=[to_wire(m) for m in messages],
                tools=[t.wire() for t in tools],
                options={"temperature": self.job_settings.temperature,
                         "num_ctx": self.job_settings.context_size},
                stream=False,
            )
        except Exception as err:  # noqa: BLE001 - every failure is translated, none swallowed
            raise ollama_error(err, self.host, self.model, timeout) from err
        if response.done_reason == "length":
            raise InvalidAnswer(f"the reply was cut off (done_reason=length); num_ctx "
                                f"{self.job_settings.context_size} may be too small")
        msg = response.message
        return Reply(content=msg.content or "", tool_calls=read_calls(msg.tool_calls, turn),
                     thinking=msg.thinking or "", finish=response.done_reason or "")
