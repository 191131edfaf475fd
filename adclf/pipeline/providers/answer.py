"""Reading a chat model's answer: the text it returned -> {brand, category, confidence, reasoning},
or `InvalidAnswer` when it is not the JSON object asked for (the conversation then asks again)."""

from __future__ import annotations

import json
import re
from typing import Any


class InvalidAnswer(ValueError):
    """The model answered, but not with the JSON object asked for."""


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)
_THINK = re.compile(r"<think>.*?</think>", re.IGNORECASE | re.DOTALL)


def parse_answer(text: str | None) -> dict[str, Any]:
    """The model's text -> {brand, category, confidence, reasoning}. Tolerates code fences, a
    reasoning preamble and percent confidences; refuses anything without a usable category."""
    if not text or not text.strip():
        raise InvalidAnswer("the answer was empty")
    body = _FENCE.sub("", _THINK.sub("", text).strip()).strip()
    data = _first_json_object(body)
    if not isinstance(data, dict):
        raise InvalidAnswer(f"the answer is not a JSON object: {_excerpt(text)}")
    brand = data.get("brand")
    category = data.get("category")
    if brand is None or category is None:
        raise InvalidAnswer(f"the answer lacks brand or category: {_excerpt(text)}")
    category = str(category).strip()
    if not category:
        raise InvalidAnswer("the answer has an empty category")
    return {
        "brand": str(brand).strip(),
        "category": category,
        "confidence": _confidence(data.get("confidence")),
        "reasoning": str(data.get("reasoning") or "").strip(),
    }


def _first_json_object(body: str) -> Any:
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", body):
        try:
            obj, _ = decoder.raw_decode(body, match.start())
            return obj
        except json.JSONDecodeError:
            continue
    raise InvalidAnswer(f"the answer is not valid JSON: {_excerpt(body)}")


def _confidence(value: Any) -> float:
    if isinstance(value, str):
        value = value.strip().rstrip("%")
    try:
        conf = float(value)
    except (TypeError, ValueError):
        return 0.0
    if conf != conf:  # NaN
        return 0.0
    if conf > 1.0:  # "85" or "85%"
        conf /= 100.0
    return min(1.0, max(0.0, conf))


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."
