"""Options shared by several commands, and turning submit options into JobSettings JSON."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from adclf.domain import JobSettings


class ModeOpt(StrEnum):
    pipeline = "pipeline"
    agent = "agent"


class ProviderOpt(StrEnum):
    embedded = "embedded"
    ollama = "ollama"
    openai = "openai"


class OcrEngineOpt(StrEnum):
    rapidocr = "rapidocr"
    tesseract = "tesseract"


class PriorityOpt(StrEnum):
    high = "high"
    normal = "normal"
    low = "low"


class StatusOpt(StrEnum):
    queued = "queued"
    re_queued = "re-queued"
    processing = "processing"
    running = "running"
    completed = "completed"
    failed = "failed"


class FormatOpt(StrEnum):
    csv = "csv"
    parquet = "parquet"


SCAN_MODES = {"tail only": "Tail Only", "tail": "Tail Only", "full video": "Full Video",
              "full": "Full Video", "express": "Express"}


def parse_scan_mode(value: str | None) -> str | None:
    """Accept the API's spelling ("Tail Only") and shell-friendly ones (tail, full-video)."""
    if value is None:
        return None
    key = value.strip().lower().replace("-", " ").replace("_", " ")
    if key not in SCAN_MODES:
        raise typer.BadParameter("use one of: tail, full, express "
                                 "(or 'Tail Only', 'Full Video', 'Express')")
    return SCAN_MODES[key]


ServerOpt = Annotated[str | None, typer.Option(
    "--server", "-s", help="adclf service URL (overrides ADCLF_SERVER).", show_default=False)]
TokenOpt = Annotated[str | None, typer.Option(
    "--token", help="API token (overrides ADCLF_TOKEN); sent as a Bearer header, never printed.",
    show_default=False)]


def job_settings(provider: ProviderOpt | None, scan_mode: str | None,
                 ocr_engine: OcrEngineOpt | None, model: str | None) -> dict[str, Any]:
    """Only what the user chose, so the server's defaults apply to the rest; validated here
    with the server's own model so a bad value fails before any upload."""
    raw: dict[str, Any] = {}
    if provider is not None:
        raw["provider"] = provider.value
    if scan_mode is not None:
        raw["scan_mode"] = scan_mode
    if ocr_engine is not None:
        raw["ocr_engine"] = ocr_engine.value
    if model:
        raw["model_name"] = model
    JobSettings.model_validate(raw)
    return raw
