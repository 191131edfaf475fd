"""The conversation with a chat model: ask, retry transient failures and invalid answers, and
re-ask once, more strictly, when the answer's confidence is low. Every call is recorded in the
classification's `raw["calls"]`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adclf.errors import PipelineError
from adclf.pipeline.providers.answer import InvalidAnswer, parse_answer
from adclf.pipeline.providers.failures import Transient
from adclf.pipeline.providers.prompt import INVALID_JSON_REMINDER
from adclf.pipeline.types import Classification

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.7


# One model call with the frames already bound: prompt text -> the model's answer text.
Ask = Callable[[str], str]


@dataclass
class Conversation:
    """Asks, retries transient failures and invalid answers, and re-asks once on low confidence."""

    provider: str
    model: str
    retries: int
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    log: list[dict[str, Any]] = field(default_factory=list)

    def ask_valid(self, ask: Ask, prompt: str, label: str) -> dict[str, Any]:
        """One answer, parsed. Transient errors are retried `retries` times, invalid answers at
        least once; then PipelineError."""
        attempt = 0
        invalid = 0
        current = prompt
        while True:
            attempt += 1
            started = time.monotonic()
            try:
                text = ask(current)
                answer = parse_answer(text)
            except Transient as err:
                self._note(label, attempt, started, error=str(err))
                if attempt > self.retries:
                    raise PipelineError(
                        f"{err} (gave up after {attempt} attempt{'s' if attempt > 1 else ''})"
                    ) from None
                self._wait(attempt)
                continue
            except InvalidAnswer as err:
                invalid += 1
                self._note(label, attempt, started, error=f"invalid answer: {err}")
                if invalid > max(1, self.retries):
                    raise PipelineError(
                        f"{self.provider} model '{self.model}' did not return the JSON answer "
                        f"asked for after {invalid} tries: {err}"
                    ) from None
                current = prompt + INVALID_JSON_REMINDER
                continue
            self._note(label, attempt, started, answer=answer)
            return answer

    def classify(self, ask: Ask, prompt: str, strict_prompt: Callable[[dict[str, Any]], str],
                 threshold: float = LOW_CONFIDENCE) -> Classification:
        first = self.ask_valid(ask, prompt, "initial")
        best, chosen = first, "initial"
        if first["confidence"] < threshold:
            try:
                second = self.ask_valid(ask, strict_prompt(first), "strict")
            except PipelineError as err:
                # The first answer is still an answer: keep it rather than failing the job.
                log.warning("%s: stricter re-ask failed: %s", self.provider, err)
            else:
                if second["confidence"] > first["confidence"]:
                    best, chosen = second, "strict"
        return Classification(
            brand=best["brand"],
            category=best["category"],
            confidence=best["confidence"],
            reasoning=best["reasoning"],
            provider=self.provider,
            model=self.model,
            raw={"chosen": chosen, "calls": list(self.log)},
        )

    def _wait(self, attempt: int) -> None:
        self.sleep(min(8.0, self.backoff * 2 ** (attempt - 1)))

    def _note(
        self, label: str, attempt: int, started: float, *,
        answer: dict[str, Any] | None = None, error: str | None = None,
    ) -> None:
        entry: dict[str, Any] = {
            "prompt": label,
            "attempt": attempt,
            "seconds": round(time.monotonic() - started, 3),
        }
        if answer is not None:
            entry["answer"] = answer
        if error is not None:
            entry["error"] = error
        self.log.append(entry)
