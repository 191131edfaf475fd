"""The rescue ladder's bookkeeping: when evidence is weak, which attempt wins, and the trace."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from adclf.pipeline.types import Attempt, Classification, Evidence

MIN_CONFIDENCE = 0.7
EXCERPT_CHARS = 300

# Attempts in ladder order, with the trigger recorded on each rescue.
LADDER = ("initial", "extended_tail", "full_video", "speech")


def weakness(
    classification: Classification, evidence: Evidence, require_text: bool = True
) -> str | None:
    """Why an answer is too weak to keep without trying harder, or None when it is good enough.
    `require_text=False` for express jobs, which skip OCR on purpose."""
    if require_text and not evidence.ocr_text.strip():
        return "no OCR text"
    if not classification.brand.strip():
        return "blank brand"
    if classification.confidence < MIN_CONFIDENCE:
        return f"confidence {classification.confidence:.2f} < {MIN_CONFIDENCE}"
    return None


def summary(classification: Classification) -> dict[str, Any]:
    return {
        "brand": classification.brand,
        "category": classification.category,
        "confidence": round(float(classification.confidence), 4),
        "reasoning": classification.reasoning[:500],
        "provider": classification.provider,
        "model": classification.model,
    }


def make_attempt(
    kind: str,
    trigger: str,
    classification: Classification,
    evidence: Evidence,
    require_text: bool = True,
) -> Attempt:
    weak = weakness(classification, evidence, require_text)
    return Attempt(
        type=kind,
        trigger=trigger,
        frames=[round(f.timestamp, 3) for f in evidence.frames],
        ocr_excerpt=evidence.ocr_text[:EXCERPT_CHARS],
        result=summary(classification),
        accepted=weak is None,
        reason=weak or f"confidence {classification.confidence:.2f} >= {MIN_CONFIDENCE}",
    )


def skipped_attempt(kind: str, trigger: str, reason: str, evidence: Evidence) -> Attempt:
    """A rung that was not worth a provider call (nothing new to show it)."""
    return Attempt(
        type=kind, trigger=trigger, frames=[round(f.timestamp, 3) for f in evidence.frames],
        ocr_excerpt=evidence.ocr_text[:EXCERPT_CHARS], result={}, accepted=False, reason=reason,
    )


def _rank(attempt: Attempt) -> tuple[bool, bool, float]:
    result = attempt.result
    return (attempt.accepted, bool(str(result.get("brand", "")).strip()),
            float(result.get("confidence", 0.0)))


def choose(attempts: list[Attempt]) -> int:
    """Index of the attempt to keep: an accepted one beats a weak one, then a brand beats none,
    then the higher confidence; ties keep the earlier (cheaper) attempt. Marks every attempt
    accepted/rejected with its reason."""
    if not attempts:
        raise ValueError("no attempts to choose from")
    best = 0
    for i, attempt in enumerate(attempts):
        if _rank(attempt) > _rank(attempts[best]):
            best = i
    for i, attempt in enumerate(attempts):
        if i == best:
            if not attempt.accepted:
                attempt.reason = f"best of {len(attempts)} attempts, still weak: {attempt.reason}"
            attempt.accepted = True
        else:
            kept = attempts[best]
            why = attempt.reason if not attempt.accepted else "good enough"
            attempt.accepted = False
            attempt.reason = (
                f"rejected ({why}); kept {kept.type} "
                f"(confidence {float(kept.result.get('confidence', 0.0)):.2f})"
            )
    return best


def trace(attempts: list[Attempt]) -> list[dict[str, Any]]:
    return [asdict(a) for a in attempts]
