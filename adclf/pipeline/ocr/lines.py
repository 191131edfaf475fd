"""Turning raw OCR boxes into `OcrLine`s and merging what several frames saw into one list."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from adclf.pipeline.types import OcrLine

LARGE_TEXT_RATIO = 0.15  # text taller than this share of the frame is an end-card headline
SIMILAR = 0.85  # two readings this alike are the same line (OCR noise between frames)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Key for "same text": case-, space- and punctuation-insensitive, accents kept (French
    'été' and 'ete' are different words but OCR reads accents reliably enough)."""
    text = unicodedata.normalize("NFC", text).casefold()
    return _NON_WORD.sub(" ", text).strip()


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def make_line(
    text: str,
    timestamp: float,
    confidence: float,
    box: Sequence[float],
    frame_height: int,
) -> OcrLine | None:
    """One OCR reading, or None when it holds no letters or digits."""
    text = clean_text(text)
    if not normalise(text):
        return None
    x0, y0, x1, y1 = (float(v) for v in box)
    ratio = (y1 - y0) / frame_height if frame_height > 0 else 0.0
    return OcrLine(
        text=text,
        timestamp=round(float(timestamp), 3),
        confidence=round(max(0.0, min(1.0, float(confidence))), 4),
        height_ratio=round(ratio, 4),
        box=[round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)],
        large=ratio > LARGE_TEXT_RATIO,
    )


@dataclass
class _Group:
    key: str
    line: OcrLine
    seen: int = 1


def merge_lines(readings: Iterable[OcrLine]) -> list[OcrLine]:
    """The same text seen in several frames becomes one line: first timestamp, best confidence,
    tallest box. Output is in reading order: by first appearance, then top to bottom."""
    groups: list[_Group] = []
    for line in sorted(readings, key=lambda r: (r.timestamp, r.box[1] if r.box else 0.0)):
        key = normalise(line.text)
        match = next((g for g in groups if _same(g.key, key)), None)
        if match is None:
            groups.append(_Group(key, _copy(line)))
            continue
        match.seen += 1
        kept = match.line
        if line.confidence > kept.confidence:
            # the clearer reading wins the text; the first sighting keeps the timestamp
            kept.text, kept.confidence = line.text, line.confidence
            match.key = key
        if line.height_ratio > kept.height_ratio:
            kept.height_ratio, kept.box, kept.large = line.height_ratio, line.box, line.large
    return [g.line for g in groups]


def occurrences(readings: Iterable[OcrLine]) -> dict[str, int]:
    """How many frames showed each (normalised) text: repeated text is prominent text."""
    counts: dict[str, int] = {}
    for line in readings:
        key = normalise(line.text)
        hit = next((k for k in counts if _same(k, key)), key)
        counts[hit] = counts.get(hit, 0) + 1
    return counts


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def _copy(line: OcrLine) -> OcrLine:
    return OcrLine(
        text=line.text, timestamp=line.timestamp, confidence=line.confidence,
        height_ratio=line.height_ratio, box=list(line.box), large=line.large,
    )
