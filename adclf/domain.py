"""Job vocabulary shared by the API, the store, the workers and the pipeline."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Status(StrEnum):
    QUEUED = "queued"
    REQUEUED = "re-queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class Stage(StrEnum):
    QUEUED = "queued"
    CLAIM = "claim"
    INGEST = "ingest"
    FRAME_EXTRACT = "frame_extract"
    OCR = "ocr"
    LOGOS = "logos"
    ASR = "asr"
    CLASSIFY = "classify"
    MAP = "map"
    PERSIST = "persist"
    COMPLETED = "completed"
    FAILED = "failed"


# Where each stage starts on the 0..100 progress bar; the pipeline refines within a stage.
STAGE_PROGRESS: dict[Stage, float] = {
    Stage.QUEUED: 0,
    Stage.CLAIM: 2,
    Stage.INGEST: 5,
    Stage.FRAME_EXTRACT: 15,
    Stage.OCR: 30,
    Stage.LOGOS: 45,
    Stage.ASR: 50,
    Stage.CLASSIFY: 60,
    Stage.MAP: 85,
    Stage.PERSIST: 95,
    Stage.COMPLETED: 100,
    Stage.FAILED: 100,
}

ACTIVE_STATUSES = (Status.QUEUED, Status.REQUEUED, Status.PROCESSING)
FINAL_STATUSES = (Status.COMPLETED, Status.FAILED)

VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v")

Provider = Literal["embedded", "ollama", "openai"]
ScanMode = Literal["Tail Only", "Full Video", "Express"]
OcrEngine = Literal["rapidocr", "tesseract"]
OcrMode = Literal["Fast", "Detailed"]
Mode = Literal["pipeline", "agent"]
# Claim order on a node: every queued high job before any normal one, normal before low.
Priority = Literal["high", "normal", "low"]
PRIORITIES: tuple[Priority, ...] = ("high", "normal", "low")
DEFAULT_PRIORITY: Priority = "normal"


class JobSettings(BaseModel):
    """Per-job settings, as users of the original service sent them. The original's keys and
    spellings are accepted (see `adclf.settings_compat`): providers "Ollama", "Llama Server",
    "LM Studio"; OCR engines "EasyOCR"/"Florence" (run by an offline engine); scan mode "Full
    Scan"; `categories` as a comma-separated string; its search/vision switches. Unknown keys
    are still refused, so that a typo is a 422, not a silently ignored option."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    provider: Provider | None = Field(
        None, description="Classifier provider (embedded, ollama, openai; the original's "
        "'Ollama', 'Llama Server', 'LM Studio' are accepted); default DEFAULT_PROVIDER."
    )
    model_name: str | None = Field(
        None,
        max_length=200,
        description="Model for ollama/openai (default qwen3-vl:8b-instruct for Ollama).",
    )
    scan_mode: ScanMode = Field("Tail Only", description="Which frames to sample "
                                "('Full Scan' is read as 'Full Video').")
    express_mode: bool = Field(False, description="One best frame near the end, no OCR.")
    ocr_engine: OcrEngine = Field("rapidocr", description="Offline OCR engine ('EasyOCR' and "
                                  "'Florence' run on rapidocr; the explanation says so).")
    ocr_mode: OcrMode = Field("Fast", description="Detailed OCRs more frames at a larger size.")
    context_size: int = Field(8192, ge=2048, le=131072, description="LLM context for providers.")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    categories: list[str] | None = Field(
        None,
        max_length=2000,
        description="The job's own category labels (a list or a comma-separated string): "
        "taxonomy ids or names restrict the mapping; free labels ('Cars, Retail') make the "
        "answer's `category` the nearest of them, with the IAB fields beside it.",
    )
    # The original's switches: accepted so its clients work; see settings_compat.NOT_USED.
    category_embedding_model: str | None = Field(None, max_length=200)
    override: bool = False
    enable_search: bool | None = None
    enable_web_search: bool | None = None
    enable_agentic_search: bool | None = None
    enable_vision_board: bool | None = None
    enable_llm_frame: bool | None = None
    product_focus_guidance_enabled: bool | None = None
    enable_vision: bool | None = Field(None, description="Legacy switch of the original.")
    substitutions: list[str] = Field(
        default_factory=list,
        description="Set by the server: how the original's values were read "
        "(e.g. EasyOCR → rapidocr); shown in the explanation.",
    )

    @model_validator(mode="before")
    @classmethod
    def _original_spellings(cls, data: Any) -> Any:
        from adclf.settings_compat import normalise

        return normalise(data)


class JobSpec(BaseModel):
    """What a worker needs to run one job."""

    job_id: str
    node: str
    mode: Mode = "pipeline"
    source_kind: Literal["url", "file", "upload"]
    source: str  # URL, or an absolute path on the owning node
    original_name: str | None = None
    settings: JobSettings = Field(default_factory=JobSettings)
    attempt: int = 1
