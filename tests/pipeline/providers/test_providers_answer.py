"""Reading the model's answer: common wrappings accepted, confidences normalised, non-answers
refused."""

from __future__ import annotations

import json

import pytest

from adclf.pipeline.providers.answer import InvalidAnswer, parse_answer

GOOD = {"brand": "ACME", "category": "Running Shoes", "confidence": 0.9, "reasoning": "end card"}


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(GOOD),
        "```json\n" + json.dumps(GOOD) + "\n```",
        "<think>the end card says ACME</think>" + json.dumps(GOOD),
        "Here is my answer:\n" + json.dumps(GOOD) + "\nThanks.",
    ],
)
def test_parse_answer_accepts_common_wrappings(text: str) -> None:
    assert parse_answer(text) == GOOD


@pytest.mark.parametrize(("value", "expected"), [("85%", 0.85), (85, 0.85), ("0.4", 0.4),
                                                  (-1, 0.0), ("high", 0.0), (None, 0.0)])
def test_parse_answer_normalises_confidence(value: object, expected: float) -> None:
    answer = parse_answer(json.dumps(dict(GOOD, confidence=value)))
    assert answer["confidence"] == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "The brand is ACME.", "[1, 2]", json.dumps({"brand": "ACME"}),
     json.dumps(dict(GOOD, category="  ")), '{"brand": "ACME", "category": '],
)
def test_parse_answer_refuses_non_answers(text: str) -> None:
    with pytest.raises(InvalidAnswer):
        parse_answer(text)

