"""The pipeline's contracts. Plain Python: no Ray, no HTTP. Each stage is a Protocol so a setting
can swap it (frame source, OCR engine, classifier provider, taxonomy mapper)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from adclf.domain import Stage


class Reporter(Protocol):
    """How the pipeline tells the world what it is doing. Both calls may raise JobCancelled
    (the job was deleted/aborted): the pipeline lets it propagate."""

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None: ...

    def event(self, message: str) -> None: ...


@dataclass
class Frame:
    timestamp: float  # seconds from start
    image: np.ndarray  # HxWx3 uint8 RGB
    index: int = 0
    path: Path | None = None  # JPEG artifact once saved
    sharpness: float = 0.0


@dataclass
class OcrLine:
    text: str
    timestamp: float
    confidence: float
    height_ratio: float  # text box height / frame height; > 0.15 marks "very large" text
    box: list[float] = field(default_factory=list)  # x0, y0, x1, y1 in pixels
    large: bool = False


@dataclass
class SpeechLine:
    """One stretch of transcribed speech (a phrase between pauses)."""

    text: str
    start: float  # seconds from the start of the video
    end: float
    confidence: float  # 0..1
    language: str = "en"
    # What the first pass heard when the second listen put a brand name in its place
    # (speech/confirm.py): "Winter, give it a second life." for "Vinted, give it ...".
    revised_from: str = ""
    confirmed: str = ""  # the catalogue name the second listen accepted in this line


@dataclass
class LogoDetection:
    """A brand logo seen in a sampled frame."""

    brand: str  # the catalogue's brand name (display form)
    score: float  # 0..1, higher is surer
    timestamp: float  # frame time in seconds
    box: list[float] = field(default_factory=list)  # x0, y0, x1, y1 in frame pixels
    source: str = "gallery"  # gallery (shipped) | user (LOGO_DIR)
    key: str = ""  # gallery key (e.g. the simple-icons slug or the user file's stem)


@dataclass
class Evidence:
    """Everything a classifier provider gets."""

    frames: list[Frame]
    ocr_lines: list[OcrLine]
    duration: float
    visual_labels: list[tuple[str, float]] = field(default_factory=list)
    speech_lines: list[SpeechLine] = field(default_factory=list)
    logos: list[LogoDetection] = field(default_factory=list)
    speech_note: str = ""  # why speech is empty (no audio track, silence, unreadable audio)

    @property
    def speech_text(self) -> str:
        return " ".join(line.text for line in self.speech_lines)

    @property
    def ocr_text(self) -> str:
        return "\n".join(line.text for line in self.ocr_lines)


@dataclass
class Classification:
    brand: str
    category: str  # free-text category (or a taxonomy id/name) as the provider saw it
    confidence: float  # 0..1
    reasoning: str
    # Optional taxonomy candidates the provider already ranked: (category_id, score)
    candidates: list[tuple[str, float]] = field(default_factory=list)
    provider: str = ""
    model: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class TaxonomyMatch:
    category_id: str
    category_name: str
    parent_category_id: str | None
    parent_category: str | None
    industry_id: str
    industry_name: str
    method: str  # exact | alias | embedding | provider
    score: float
    top: list[dict[str, Any]] = field(default_factory=list)  # up to 5: {id, name, path, score}
    # The job's own label (its free `categories`) chosen for this node: see taxonomy/labels.py.
    job_label: str = ""
    job_label_method: str = ""
    job_label_score: float = 0.0


@dataclass
class Attempt:
    type: str  # initial | extended_tail | full_video
    trigger: str  # why this attempt was made
    frames: list[float]  # timestamps used
    ocr_excerpt: str
    result: dict[str, Any]
    accepted: bool
    reason: str  # why accepted / rejected


@dataclass
class PipelineResult:
    classification: Classification
    mapping: TaxonomyMatch
    frames: list[Frame]
    ocr_lines: list[OcrLine]
    attempts: list[Attempt]
    duration: float
    timings: dict[str, float] = field(default_factory=dict)
    speech_lines: list[SpeechLine] = field(default_factory=list)
    speech_note: str = ""
    logos: list[LogoDetection] = field(default_factory=list)
    logo_note: str = ""

    def result_row(self) -> dict[str, Any]:
        """The flat result users know from the original service."""
        m = self.mapping
        c = self.classification
        return {
            "brand": c.brand,
            "category": m.job_label or m.category_name or c.category,
            "category_id": m.category_id,
            "category_name": m.category_name,
            "parent_category_id": m.parent_category_id,
            "parent_category": m.parent_category,
            "industry_id": m.industry_id,
            "industry_name": m.industry_name,
            "confidence": round(float(c.confidence), 4),
            "reasoning": c.reasoning,
            "raw_category": c.category,
            "mapper_method": m.method,
            "mapper_score": round(float(m.score), 4),
            "provider": c.provider,
            "model": c.model,
            "job_label": m.job_label or None,
        }

    def explanation(self) -> dict[str, Any]:
        raw = self.classification.raw
        return {
            "attempts": [asdict(a) for a in self.attempts],
            "mapping": asdict(self.mapping),
            "timings": self.timings,
            "brand": {
                "sources": raw.get("brand_sources", []),
                "disagreement": raw.get("brand_disagreement", ""),
                "rejected": raw.get("brand_rejected", []),
                "catalogue_brand": raw.get("catalogue_brand"),
                "category_source": raw.get("category_source"),
            },
            "speech": {"note": self.speech_note,
                       "lines": [asdict(s) for s in self.speech_lines]},
            "logos": {"note": self.logo_note, "detections": [asdict(d) for d in self.logos]},
        }


class FrameSource(Protocol):
    def sample(self, video: Path, scan_mode: str) -> tuple[list[Frame], float]:
        """Return (frames, video duration in seconds). Raises PipelineError on unreadable input."""
        ...


class OcrEngine(Protocol):
    name: str
    # frames worth sending in one read_each call: more than 1 when the engine reads them side
    # by side (a node's model actor with free cores)
    frames_at_once: int

    def read(self, frames: list[Frame]) -> list[OcrLine]: ...

    def read_each(self, frames: list[Frame]) -> list[list[OcrLine]]:
        """Each frame's lines, merged within that frame only, in the frames' order."""
        ...


class SpeechRecognizer(Protocol):
    name: str
    languages: tuple[str, ...]
    can_listen_closer: bool  # a larger model is installed for `closer` calls

    def transcribe(self, audio: Path, language: str | None = None) -> list[SpeechLine]:
        """audio: 16 kHz mono 16-bit PCM WAV. language None = detect/try each available."""
        ...

    def transcribe_array(self, samples: np.ndarray, language: str | None = None,
                         offset: float = 0.0, vad: bool = True,
                         hints: Sequence[str] | None = None,
                         min_confidence: float | None = None,
                         closer: bool = False) -> list[SpeechLine]:
        """samples: float32 mono 16 kHz in -1..1; times are shifted by `offset`. `hints`: a few
        names to bias decoding toward (hotwords); `min_confidence`: None = the recogniser's
        own floor, 0 = keep unsure lines too; `closer`: the larger model, dearer, whatever the
        language."""
        ...

    def score_texts(self, samples: np.ndarray, texts: Sequence[str], language: str = "en",
                    closer: bool = False) -> list[float]:
        """Log-probability of each text as the transcript of `samples` (≤ 30 s), with no hint:
        what the later listens (speech/confirm.py) compare readings with."""
        ...

    def detect_language(self, samples: np.ndarray) -> dict[str, float]:
        """Probability of each language it can hear ({} when it hears only one)."""
        ...


class LogoMatcher(Protocol):
    def detect(self, frames: list[Frame], closer: bool = False) -> list[LogoDetection]:
        """`closer`: also look again, at full size, at small marks nearly matched (an end card's
        corner logo); ~0.1-0.2 s more a frame."""
        ...


class ClassifierProvider(Protocol):
    name: str

    def classify(self, evidence: Evidence) -> Classification:
        """Raises PipelineError with a user-facing reason (server down, model missing, bad JSON)."""
        ...


class TaxonomyMapper(Protocol):
    def map(self, classification: Classification, evidence: Evidence) -> TaxonomyMatch: ...
