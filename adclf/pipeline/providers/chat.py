"""The part of a chat-model provider (Ollama, OpenAI-compatible) that does not depend on the wire
format: choosing and encoding frames, the ask / retry / re-ask conversation, and the record of
which frames were sent. A subclass opens a client session and turns one prompt into the model's
answer text, translating its client's errors into `PipelineError` (final) or `Transient` (retry)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.pipeline.providers.conversation import Conversation
from adclf.pipeline.providers.images import encode_jpeg, select_frames
from adclf.pipeline.providers.prompt import previous_summary, user_prompt
from adclf.pipeline.types import Classification, Evidence

# One prompt plus the frames as JPEG bytes -> the model's answer text.
Ask = Callable[[str, list[bytes]], str]


class ChatProvider:
    name: str = "chat"

    def __init__(
        self, settings: Settings, job_settings: JobSettings, *, backoff: float = 0.5
    ) -> None:
        self.settings = settings
        self.job_settings = job_settings
        self.model = job_settings.model_name or self.default_model(settings)
        self.timeout = settings.PROVIDER_TIMEOUT
        self.backoff = backoff

    def default_model(self, settings: Settings) -> str:
        raise NotImplementedError

    def session(self) -> AbstractContextManager[Ask]:
        """A client for one classification (all its attempts), closed afterwards."""
        raise NotImplementedError

    def classify(self, evidence: Evidence) -> Classification:
        frames = select_frames(evidence.frames)
        images = [encode_jpeg(f.image) for f in frames]
        ctx = self.job_settings.context_size
        conversation = Conversation(
            self.name, self.model, self.settings.PROVIDER_RETRIES, backoff=self.backoff
        )
        with self.session() as ask:
            result = conversation.classify(
                lambda prompt: ask(prompt, images),
                user_prompt(evidence, frames, ctx),
                lambda first: user_prompt(
                    evidence, frames, ctx, strict_previous=previous_summary(first)
                ),
            )
        result.raw["frames"] = [f.timestamp for f in frames]
        return result

