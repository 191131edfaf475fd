"""A job as the API shows it: its view, result, artifacts, events and explanation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from adclf.domain import Priority


class JobView(BaseModel):
    job_id: str
    node: str
    status: str
    stage: str
    stage_detail: str | None = None
    progress: float
    mode: str | None = None
    source_kind: str | None = None
    url: str | None = Field(None, description="The URL or server path the job reads.")
    original_name: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    attempts: int = 0
    priority: Priority = "normal"
    batch_id: str | None = Field(None, description="Shared by the jobs of one submission.")
    created_at: str
    updated_at: str
    duration_seconds: float | None = None
    brand: str | None = None
    category: str | None = None
    category_id: str | None = None
    category_name: str | None = None
    parent_category: str | None = None
    parent_category_id: str | None = None
    industry_id: str | None = None
    industry_name: str | None = None
    confidence: float | None = None


class JobResult(BaseModel):
    result: list[dict[str, Any]] | None = Field(
        None, description="The original's rows: [{Brand, Category, Category ID, Confidence, "
        "Reasoning, brand, category, category_id, category_name, ...}]; null until done.")
    job_id: str
    status: str
    brand: str | None = None
    category: str | None = None
    category_id: str | None = None
    category_name: str | None = None
    parent_category_id: str | None = None
    parent_category: str | None = None
    industry_id: str | None = None
    industry_name: str | None = None
    confidence: float | None = None
    reasoning: str | None = None
    raw_category: str | None = None
    mapper_method: str | None = None
    mapper_score: float | None = None
    provider: str | None = None
    model: str | None = None
    job_label: str | None = Field(None, description="The job's own category label chosen "
                                  "(when the job gave free `categories`).")


class FrameArtifact(BaseModel):
    name: str
    timestamp: float | None = None
    url: str


class SpeechLineView(BaseModel):
    text: str
    start: float
    end: float
    confidence: float
    language: str = "en"


class LogoView(BaseModel):
    brand: str
    score: float
    timestamp: float
    box: list[float] = Field(default_factory=list, description="x0, y0, x1, y1 in frame pixels")
    box_rel: list[float] | None = Field(None, description="the box as fractions of the frame")
    frame: str | None = Field(None, description="artifact name of the frame it was seen in")
    frame_url: str | None = None
    source: str = "gallery"
    key: str = ""


class ArtifactsView(BaseModel):
    artifacts: dict[str, Any] = Field(
        default_factory=dict, description="The original's shape: latest_frames, ocr_text "
        "{text, lines}, category_mapper, processing_trace, vision_board, per_frame_vision.")
    job_id: str
    frames: list[FrameArtifact] = Field(default_factory=list)
    ocr_text: str = ""
    ocr_lines: list[dict[str, Any]] = Field(default_factory=list)
    speech_text: str = ""
    speech_lines: list[SpeechLineView] = Field(default_factory=list)
    speech_note: str = Field("", description="why there is no transcript (no audio, silence...)")
    logos: list[LogoView] = Field(default_factory=list)
    logo_note: str = ""
    mapper_top: list[dict[str, Any]] = Field(default_factory=list)
    trace: list[dict[str, Any]] = Field(default_factory=list)
    video_url: str | None = None
    poster_url: str | None = None


class BrandSourceView(BaseModel):
    source: str = Field(description="end card | on-screen text | web address | speech | "
                                    "spoken web address | logo")
    text: str
    timestamp: float | None = None
    score: float


class BrandEvidenceView(BaseModel):
    sources: list[BrandSourceView] = Field(default_factory=list)
    disagreement: str = ""
    rejected: list[str] = Field(default_factory=list)
    catalogue_brand: str | None = None
    category_source: str | None = Field(None, description="catalogue | copy")


class EventView(BaseModel):
    ts: str
    stage: str | None
    message: str | None


class EventsView(BaseModel):
    events: list[str] = Field(description='The original\'s lines: "<ISO ts> <stage>: <detail>"')
    entries: list[EventView]


class ExplanationView(BaseModel):
    explanation: dict[str, Any] = Field(
        default_factory=dict, description="The original's shape: job_id, mode, status, stage, "
        "summary, attempts, final, evidence.")
    job_id: str
    attempts: list[dict[str, Any]] = Field(default_factory=list)
    mapping: dict[str, Any] | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    brand: BrandEvidenceView | None = None
    speech: dict[str, Any] | None = None
    logos: dict[str, Any] | None = None
    agent: dict[str, Any] | None = Field(
        None, description="mode=agent: provider, model, bounds, and how the agent stopped.")
    agent_steps: list[dict[str, Any]] = Field(
        default_factory=list, description="mode=agent: every step in order (turn, tool, "
        "arguments, summary, result, the model's thought and text, frames, error).")
    settings_notes: list[str] = Field(
        default_factory=list, description="Settings of the original read as another value "
        "(EasyOCR → rapidocr) or with no effect offline (web search).")


class JobsPage(BaseModel):
    jobs: list[JobView]
    total: int
    limit: int
    offset: int
    unavailable_nodes: list[dict[str, str]] = Field(default_factory=list)
