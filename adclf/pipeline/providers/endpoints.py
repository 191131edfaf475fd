"""Where each LLM server is and which model it serves by default: shared by the providers that
ask for a verdict and the tool-calling chats of agent mode."""

from __future__ import annotations

from adclf.config import Settings


class OllamaEndpoint:
    settings: Settings

    def default_model(self, settings: Settings) -> str:
        return settings.OLLAMA_MODEL

    @property
    def host(self) -> str:
        return self.settings.OLLAMA_HOST


class OpenAIEndpoint:
    settings: Settings

    def default_model(self, settings: Settings) -> str:
        return settings.OPENAI_MODEL

    @property
    def base_url(self) -> str:
        return self.settings.OPENAI_BASE_URL
