"""The ask / retry / re-ask conversation, played against scripted answers and failures."""

from __future__ import annotations

import json

import pytest

from adclf.errors import PipelineError
from adclf.pipeline.providers.conversation import Conversation
from adclf.pipeline.providers.failures import Transient
from adclf.pipeline.providers.prompt import INVALID_JSON_REMINDER

GOOD = {"brand": "ACME", "category": "Running Shoes", "confidence": 0.9, "reasoning": "end card"}


class Script:
    """An `ask` function that plays back answers or raises errors, recording prompts."""

    def __init__(self, *steps: object) -> None:
        self.steps = list(steps)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        return step if isinstance(step, str) else json.dumps(step)


def conversation(retries: int = 2) -> tuple[Conversation, list[float]]:
    slept: list[float] = []
    return Conversation("p", "m", retries, backoff=0.5, sleep=slept.append), slept


def test_conversation_retries_transient_with_backoff() -> None:
    conv, slept = conversation(retries=2)
    ask = Script(Transient("busy"), Transient("busy"), GOOD)
    result = conv.classify(ask, "prompt", lambda a: "strict")
    assert (result.brand, result.provider, result.model) == ("ACME", "p", "m")
    assert slept == [0.5, 1.0]
    assert [c.get("error") for c in result.raw["calls"]] == ["busy", "busy", None]


def test_conversation_gives_up_after_retries() -> None:
    conv, slept = conversation(retries=1)
    with pytest.raises(PipelineError, match="busy .gave up after 2 attempts"):
        conv.classify(Script(Transient("busy"), Transient("busy")), "prompt", lambda a: "s")


def test_conversation_invalid_answer_is_retried_once_even_without_retries() -> None:
    conv, _ = conversation(retries=0)
    ask = Script("not json", GOOD)
    assert conv.classify(ask, "prompt", lambda a: "s").brand == "ACME"
    assert ask.prompts == ["prompt", "prompt" + INVALID_JSON_REMINDER]
    with pytest.raises(PipelineError, match="did not return the JSON"):
        conversation(retries=0)[0].classify(Script("no", "still no"), "prompt", lambda a: "s")


def test_conversation_low_confidence_keeps_the_better_answer() -> None:
    conv, _ = conversation()
    ask = Script(dict(GOOD, confidence=0.5), dict(GOOD, brand="ACME Corp", confidence=0.8))
    result = conv.classify(ask, "prompt", lambda first: f"strict after {first['brand']}")
    assert (result.brand, result.confidence, result.raw["chosen"]) == ("ACME Corp", 0.8, "strict")
    assert ask.prompts == ["prompt", "strict after ACME"]
    assert [c["answer"]["confidence"] for c in result.raw["calls"]] == [0.5, 0.8]

    conv, _ = conversation()
    worse = Script(dict(GOOD, confidence=0.5), dict(GOOD, brand="Other", confidence=0.3))
    result = conv.classify(worse, "prompt", lambda first: "strict")
    assert (result.brand, result.confidence, result.raw["chosen"]) == ("ACME", 0.5, "initial")


def test_conversation_keeps_first_answer_when_reask_fails() -> None:
    conv, _ = conversation(retries=0)
    ask = Script(dict(GOOD, confidence=0.5), Transient("down"))
    result = conv.classify(ask, "prompt", lambda first: "strict")
    assert (result.brand, result.raw["chosen"]) == ("ACME", "initial")
    assert result.raw["calls"][-1]["error"] == "down"


def test_conversation_high_confidence_asks_once() -> None:
    conv, _ = conversation()
    ask = Script(GOOD)
    conv.classify(ask, "prompt", lambda first: "strict")
    assert len(ask.prompts) == 1
