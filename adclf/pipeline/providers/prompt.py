"""What the LLM providers (Ollama, OpenAI-compatible) share: the answer's JSON schema, the prompts,
frame choice and JPEG encoding, answer parsing, and the ask/retry/re-ask conversation.

The providers only translate this into their wire format and their client's errors."""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from PIL import Image

from adclf.errors import PipelineError
from adclf.pipeline.types import Classification, Evidence, Frame

log = logging.getLogger(__name__)

MAX_IMAGES = 4
MAX_IMAGE_SIDE = 768
JPEG_QUALITY = 85
LOW_CONFIDENCE = 0.7
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


# ---------------------------------------------------------------- frames and images


def _gray_thumb(image: np.ndarray, size: int = 96) -> np.ndarray:
    thumb = Image.fromarray(image).convert("L").resize((size, size), Image.Resampling.BOX)
    return np.asarray(thumb, dtype=np.float32)


def _sharpness(frame: Frame) -> float:
    if frame.sharpness > 0:
        return frame.sharpness
    # Variance of a 4-neighbour Laplacian on a reduced copy: cheap and enough to rank frames.
    img = Image.fromarray(frame.image).convert("L")
    img.thumbnail((320, 320))
    g = np.asarray(img, dtype=np.float32)
    if g.shape[0] < 3 or g.shape[1] < 3:
        return 0.0
    lap = g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4 * g[1:-1, 1:-1]
    return float(lap.var())


def _near_black(thumb: np.ndarray) -> bool:
    return float(thumb.mean()) < 12.0 and float(thumb.std()) < 6.0


def select_frames(frames: Sequence[Frame], limit: int = MAX_IMAGES) -> list[Frame]:
    """Up to `limit` frames for the model: the last non-black one (the end card usually carries the
    brand), then the sharpest frames that look different from those already chosen. Near-duplicates
    are left out rather than used as filler: they cost context and add nothing."""
    if not frames or limit <= 0:
        return []
    thumbs = {id(f): _gray_thumb(f.image) for f in frames}
    usable = [f for f in frames if not _near_black(thumbs[id(f)])] or list(frames)
    end_card = max(usable, key=lambda f: f.timestamp)
    chosen = [end_card]
    for frame in sorted(usable, key=_sharpness, reverse=True):
        if len(chosen) >= limit:
            break
        if frame is end_card:
            continue
        if all(_distinct(thumbs[id(frame)], thumbs[id(c)]) for c in chosen):
            chosen.append(frame)
    return sorted(chosen, key=lambda f: f.timestamp)


def _distinct(a: np.ndarray, b: np.ndarray) -> bool:
    # Share of thumbnail pixels that changed a lot: a new text line on the same flat background
    # changes a few percent of them strongly, while encoder noise on a static shot moves many
    # pixels only slightly. A global change (new scene, fade) shows in the mean.
    diff = np.abs(a - b)
    return float((diff > 24).mean()) >= 0.01 or float(diff.mean()) >= 6.0


def encode_jpeg(image: np.ndarray, max_side: int = MAX_IMAGE_SIDE) -> bytes:
    """RGB uint8 array -> JPEG bytes whose longest side is at most `max_side`."""
    img = Image.fromarray(np.ascontiguousarray(image)).convert("RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


# ---------------------------------------------------------------- prompt text


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


# ---------------------------------------------------------------- answers


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


# ---------------------------------------------------------------- errors and URLs


class Transient(Exception):
    """A failure worth retrying (server busy/down for a moment, 5xx, timeout)."""


def redact_url(url: str) -> str:
    """Drop user:password@ from a URL before it goes into a message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    if parts.username is None and parts.password is None:
        return url.rstrip("/")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)).rstrip("/")


def connect_detail(err: BaseException) -> str:
    """Why a connection failed, from the exception chain (clients wrap the socket error)."""
    seen: set[int] = set()
    cur: BaseException | None = err
    texts: list[str] = []
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        texts.append(str(cur))
        cur = cur.__cause__ or cur.__context__
    joined = " ".join(texts).lower()
    if "refused" in joined:
        return "connection refused"
    if "name or service not known" in joined or "nodename nor servname" in joined or (
        "name resolution" in joined
    ):
        return "host name not found"
    if "timed out" in joined or "timeout" in joined:
        return "connection timed out"
    if "unreachable" in joined:
        return "network unreachable"
    return texts[-1] if texts and texts[-1] else "connection failed"


# ---------------------------------------------------------------- the conversation


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


def previous_summary(answer: dict[str, Any]) -> str:
    return json.dumps(
        {k: answer[k] for k in ("brand", "category", "confidence")}, ensure_ascii=False
    )
