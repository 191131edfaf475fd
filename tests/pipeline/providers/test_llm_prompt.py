"""The shared LLM-provider pieces: answer parsing, frame choice, JPEG encoding, prompt text, the
retry / re-ask conversation."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from adclf.errors import PipelineError
from adclf.pipeline.providers.prompt import (
    INVALID_JSON_REMINDER,
    Conversation,
    InvalidAnswer,
    Transient,
    connect_detail,
    encode_jpeg,
    ocr_hint_text,
    parse_answer,
    redact_url,
    select_frames,
    user_prompt,
)
from adclf.pipeline.types import Evidence, Frame, LogoDetection, OcrLine, SpeechLine

GOOD = {"brand": "ACME", "category": "Running Shoes", "confidence": 0.9, "reasoning": "end card"}


# ---------------------------------------------------------------- parsing


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


# ---------------------------------------------------------------- frames and images


def test_encode_jpeg_shrinks_to_768_and_keeps_aspect(ad_frames: list[Frame]) -> None:
    data = encode_jpeg(ad_frames[0].image)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert img.size == (768, 432)


def test_encode_jpeg_leaves_small_images_alone() -> None:
    small = np.full((120, 200, 3), 90, dtype=np.uint8)
    with Image.open(io.BytesIO(encode_jpeg(small))) as img:
        assert img.size == (200, 120)


def test_select_frames_prefers_end_card_and_distinct_scenes(ad_frames: list[Frame]) -> None:
    chosen = select_frames(ad_frames)
    times = [f.timestamp for f in chosen]
    assert times == sorted(times)
    assert len(chosen) <= 4
    assert times[-1] == ad_frames[-1].timestamp  # the end card
    # one frame per scene: scenes are [0, 2), [2, 4), [4, 6) seconds
    assert sorted({int(t // 2) for t in times}) == [0, 1, 2]
    assert len(times) == 3


def test_select_frames_skips_black_tail_and_respects_limit(ad_frames: list[Frame]) -> None:
    black = Frame(timestamp=6.0, image=np.zeros_like(ad_frames[0].image), index=99)
    chosen = select_frames([*ad_frames, black], limit=2)
    assert len(chosen) == 2
    assert black not in chosen
    assert chosen[-1].timestamp == ad_frames[-1].timestamp


def test_select_frames_of_nothing() -> None:
    assert select_frames([]) == []


# ---------------------------------------------------------------- prompt text


def test_ocr_hint_text_dedupes_marks_large_and_cuts() -> None:
    lines = [OcrLine("ACME", 5.0, 0.9, 0.2), OcrLine("acme", 5.5, 0.9, 0.2),
             OcrLine("Run faster", 1.0, 0.9, 0.05)]
    text = ocr_hint_text(Evidence(frames=[], ocr_lines=lines, duration=6.0), 1000)
    assert text.splitlines() == ["[1.0s] Run faster", "[5.0s] [large] ACME"]
    many = [OcrLine(f"line number {i}", float(i), 0.9, 0.05) for i in range(200)]
    cut = ocr_hint_text(Evidence(frames=[], ocr_lines=many, duration=200.0), 300)
    assert len(cut) <= 300 + 40 and cut.endswith("[... more text cut ...]")


def test_user_prompt_carries_ocr_frames_and_strict_suffix(evidence: Evidence) -> None:
    frames = select_frames(evidence.frames)
    prompt = user_prompt(evidence, frames, 8192)
    assert "Maison Dupré" in prompt and "maisondupre.fr" in prompt
    assert f"{len(frames)} frames attached" in prompt
    strict = user_prompt(evidence, frames, 8192, strict_previous='{"brand": "X"}')
    assert strict.startswith(prompt) and '{"brand": "X"}' in strict and "Look again" in strict


def test_user_prompt_carries_speech_and_logos() -> None:
    evidence = Evidence(
        frames=[], ocr_lines=[OcrLine("Fresh hot pizza", 2.0, 0.9, 0.1)], duration=20.0,
        speech_lines=[SpeechLine("Order now at dominos dot com", 14.2, 16.0, 0.8)],
        logos=[LogoDetection("Domino's", 0.83, 18.0, [10, 10, 90, 90], key="dominos")])
    prompt = user_prompt(evidence, [], 8192)
    assert "<speech>\n[14.2s] Order now at dominos dot com\n</speech>" in prompt
    assert "Domino's at 18.0s (match 0.83)" in prompt
    silent = Evidence(frames=[], ocr_lines=[], duration=5.0, speech_note="no audio track")
    assert "No speech transcript: no audio track." in user_prompt(silent, [], 8192)


# ---------------------------------------------------------------- URLs and errors


def test_redact_url_drops_credentials() -> None:
    assert redact_url("http://user:pw@10.0.0.1:8080/v1/") == "http://10.0.0.1:8080/v1"
    assert redact_url("http://127.0.0.1:11434") == "http://127.0.0.1:11434"


def test_connect_detail_reads_the_cause() -> None:
    try:
        try:
            raise OSError("[Errno 111] Connection refused")
        except OSError:
            raise ConnectionError("Failed to connect") from None
    except ConnectionError as err:
        assert connect_detail(err) == "connection refused"


# ---------------------------------------------------------------- conversation


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


def _card(text: str, seed: int) -> np.ndarray:
    from PIL import ImageDraw

    img = Image.new("RGB", (1280, 720), "darkgreen")
    ImageDraw.Draw(img).text((400, 330), text, fill="white", font_size=60)
    noise = np.random.default_rng(seed).integers(-5, 6, (720, 1280, 3))
    return np.clip(np.asarray(img, dtype=np.int16) + noise, 0, 255).astype(np.uint8)


def test_select_frames_text_change_is_distinct_noise_is_not() -> None:
    a = Frame(1.0, _card("Pain frais", 1))
    a_noisy = Frame(2.0, _card("Pain frais", 2))
    b = Frame(3.0, _card("Croissants au beurre", 3))
    chosen = select_frames([a, a_noisy, b])
    assert b in chosen and len(chosen) == 2
