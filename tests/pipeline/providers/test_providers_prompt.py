"""The prompt text: OCR and speech hints, logos, frames, and the stricter re-ask."""

from __future__ import annotations

import json

from adclf.pipeline.providers.images import select_frames
from adclf.pipeline.providers.prompt import ocr_hint_text, previous_summary, user_prompt
from adclf.pipeline.types import Evidence, LogoDetection, OcrLine, SpeechLine


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


def test_previous_summary_quotes_the_answer_without_its_reasoning() -> None:
    answer = {"brand": "Maison Dupré", "category": "Bakeries", "confidence": 0.4,
              "reasoning": "thin"}
    summary = previous_summary(answer)
    assert json.loads(summary) == {"brand": "Maison Dupré", "category": "Bakeries",
                                   "confidence": 0.4}
    assert "Dupré" in summary  # kept as written, not \u-escaped
