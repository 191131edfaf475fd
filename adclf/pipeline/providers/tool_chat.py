"""A chat with tools, independent of the wire format: the messages of an agent's conversation,
the tools it offers, the model's reply (text, thought, tool calls), and the session that sends
them to Ollama (`ollama_tools.py`) or an OpenAI-compatible server (`openai_tools.py`).

The conversation is kept in this neutral form and translated on every call, so the agent loop
never deals with a wire format. Images never ride on tool messages (OpenAI's are text-only):
the agent adds them in a user message after the tool results, and both wires carry them there."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import PipelineError

Role = Literal["system", "user", "assistant", "tool"]

# Providers that can hold a tool-calling conversation; the embedded one answers in one shot.
TOOL_PROVIDERS = ("ollama", "openai")
NEEDS_LLM = "agent mode needs an LLM provider"


@dataclass
class ToolCall:
    """One call the model asked for. `arguments` is None when they could not be read (then
    `error` says why); `raw` is what was sent, for the record."""

    id: str
    name: str
    arguments: dict[str, Any] | None
    raw: str = ""
    error: str = ""


@dataclass
class Message:
    role: Role
    content: str = ""
    images: list[bytes] = field(default_factory=list)  # JPEG bytes (user messages only)
    tool_calls: list[ToolCall] = field(default_factory=list)  # assistant messages
    tool_call_id: str = ""  # tool messages: the call answered
    name: str = ""  # tool messages: the tool's name


@dataclass
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments object

    def wire(self) -> dict[str, Any]:
        """The `tools` entry both Ollama and OpenAI take."""
        return {"type": "function", "function": {
            "name": self.name, "description": self.description, "parameters": self.parameters}}


@dataclass
class Reply:
    content: str
    tool_calls: list[ToolCall]
    thinking: str = ""
    finish: str = ""  # the server's stop reason (stop, tool_calls, length)


# messages, tools offered, seconds the call may take -> the model's reply.
ToolAsk = Callable[[list[Message], list[ToolSpec], float], Reply]


class ToolChat:
    """A provider's tool-capable chat; `session()` opens one client for a whole conversation.
    Failures are raised as `PipelineError` (final) or `failures.Transient` (worth retrying)."""

    provider: str = ""

    def __init__(self, settings: Settings, job_settings: JobSettings) -> None:
        self.settings = settings
        self.job_settings = job_settings
        self.model = job_settings.model_name or self.default_model(settings)

    def default_model(self, settings: Settings) -> str:
        raise NotImplementedError

    def session(self) -> AbstractContextManager[ToolAsk]:
        raise NotImplementedError


def provider_name(settings: Settings, job_settings: JobSettings) -> str:
    return job_settings.provider or settings.DEFAULT_PROVIDER


def get_tool_chat(settings: Settings, job_settings: JobSettings) -> ToolChat:
    """The job's provider as a tool chat; PipelineError when it cannot hold one."""
    name = provider_name(settings, job_settings)
    if name == "ollama":
        from adclf.pipeline.providers.ollama_tools import OllamaToolChat

        return OllamaToolChat(settings, job_settings)
    if name == "openai":
        from adclf.pipeline.providers.openai_tools import OpenAIToolChat

        return OpenAIToolChat(settings, job_settings)
    raise PipelineError(f"{NEEDS_LLM} ({' or '.join(TOOL_PROVIDERS)}); this job's provider is "
                        f"{name!r}, which cannot call tools")

