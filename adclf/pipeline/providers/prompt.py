"""What a chat model (Ollama, OpenAI-compatible) is told: the answer's JSON schema, the system
prompt, and the user prompt built from the evidence (OCR and speech hints within the context
budget, logos, the stricter re-ask). The frames themselves: images.py; reading the answer:
answer.py; the ask / retry / re-ask loop: conversation.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from adclf.pipeline.types import Evidence, Frame

# Roughly what one 768 px image costs in a Qwen-VL style context, to keep the OCR text in budget.
_TOKENS_PER_IMAGE = 800
_CHARS_PER_TOKEN = 3
_MAX_OCR_CHARS = 8000

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "brand": {"type": "string"},
        "category": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reasoning": {"type": "string"},
    },
    "required": ["brand", "category", "confidence", "reasoning"],
    "additionalProperties": False,
}

SYSTEM_PROMPT = """You classify video advertisements.
From the frames of one ad and the text read on screen, name:
- brand: the advertiser, exactly as written in the ad (keep accents and capitalisation of the logo);
- category: the product or service being advertised, as a short English ad-product category
  (for example "Running Shoes", "Car Insurance", "Fast Food Restaurants", "Mobile Phone Plans");
- confidence: how sure you are of brand and category together, from 0 to 1;
- reasoning: one or two sentences naming the evidence (end card, logo, web address, product shown).
The on-screen text comes from OCR: it is a noisy hint and may contain misread letters; trust the
frames when they disagree. Ads may be in French or other languages; that is legitimate, do not
translate brand names. The end card (last frames) usually shows the brand and its web address.
Answer with one JSON object with exactly the keys brand, category, confidence, reasoning."""

STRICT_SUFFIX = """
A previous look at this ad gave a low-confidence answer: {previous}
Look again, carefully. Read the end card, logos and any web address or domain, letter by letter.
The brand is the company paying for the ad, not a retailer or a celebrity shown in it. Pick the
most specific category that fits the product actually sold. If the evidence is still thin, say so
in the reasoning and keep the confidence honest."""

INVALID_JSON_REMINDER = (
    "\nYour previous answer was not a valid JSON object with keys brand, category, confidence, "
    "reasoning. Answer with that JSON object only, no other text."
)


def ocr_hint_text(evidence: Evidence, max_chars: int) -> str:
    """OCR lines in time order, repeated lines once, very large text marked; cut to `max_chars`."""
    seen: set[str] = set()
    lines: list[str] = []
    for line in sorted(evidence.ocr_lines, key=lambda ln: ln.timestamp):
        text = " ".join(line.text.split())
        key = text.casefold()
        if not text or key in seen:
            continue
        seen.add(key)
        mark = " [large]" if line.large or line.height_ratio > 0.15 else ""
        lines.append(f"[{line.timestamp:.1f}s]{mark} {text}")
    out = "\n".join(lines)
    if len(out) > max_chars:
        out = out[:max_chars].rsplit("\n", 1)[0] + "\n[... more text cut ...]"
    return out


def speech_hint_text(evidence: Evidence, max_chars: int) -> str:
    """Transcript phrases with their start time, cut to `max_chars`."""
    out = "\n".join(f"[{ln.start:.1f}s] {' '.join(ln.text.split())}"
                    for ln in evidence.speech_lines if ln.text.strip())
    if len(out) > max_chars:
        out = out[:max_chars].rsplit("\n", 1)[0] + "\n[... more speech cut ...]"
    return out


def ocr_budget(context_size: int, n_images: int) -> int:
    spare_tokens = context_size - n_images * _TOKENS_PER_IMAGE - 1200
    return max(600, min(_MAX_OCR_CHARS, spare_tokens * _CHARS_PER_TOKEN))


def user_prompt(
    evidence: Evidence, frames: Sequence[Frame], context_size: int, *, strict_previous: str = ""
) -> str:
    parts = [f"Video ad, {evidence.duration:.1f} s long."]
    if frames:
        stamps = ", ".join(f"{f.timestamp:.1f}s" for f in frames)
        parts.append(f"{len(frames)} frames attached, taken at {stamps} (in that order).")
    else:
        parts.append("No frames attached.")
    ocr = ocr_hint_text(evidence, ocr_budget(context_size, len(frames)))
    if ocr:
        parts.append("On-screen text read by OCR (noisy hints, may be misread):\n<ocr>\n"
                     f"{ocr}\n</ocr>")
    else:
        parts.append("No on-screen text was read.")
    speech = speech_hint_text(evidence, max(400, ocr_budget(context_size, len(frames)) // 2))
    if speech:
        parts.append("Voice-over transcribed by speech recognition (noisy hints, brand names "
                     f"may be misheard):\n<speech>\n{speech}\n</speech>")
    elif evidence.speech_note:
        parts.append(f"No speech transcript: {evidence.speech_note}.")
    if evidence.logos:
        seen = ", ".join(f"{d.brand} at {d.timestamp:.1f}s (match {d.score:.2f})"
                         for d in evidence.logos[:5])
        parts.append(f"Logo recognition matched (check them against the frames): {seen}.")
    if evidence.visual_labels:
        labels = ", ".join(f"{name} ({score:.2f})" for name, score in evidence.visual_labels[:8])
        parts.append(f"An image classifier saw (weak hints): {labels}.")
    prompt = "\n\n".join(parts)
    if strict_previous:
        prompt += "\n" + STRICT_SUFFIX.format(previous=strict_previous)
    return prompt


def previous_summary(answer: dict[str, Any]) -> str:
    """The first answer, as the stricter re-ask quotes it."""
    return json.dumps(
        {k: answer[k] for k in ("brand", "category", "confidence")}, ensure_ascii=False
    )
