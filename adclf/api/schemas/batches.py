"""Batch runs: the request, a batch's view and its progress."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from adclf.domain import JobSettings, Mode


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"source": "/srv/ads/archive-2024", "settings": {"scan_mode": "Tail Only"}},
        {"source": "/srv/ads/manifest.csv"}, {"source": "/srv/ads/**/*.mp4"},
        {"inputs": ["/srv/ads/a.mp4", "/srv/ads/b.mp4"]}]})

    source: str | None = Field(
        None, min_length=1, max_length=4096,
        description="A server folder (recursive), a manifest (.txt or .csv of paths or URLs; "
        "relative paths are read from the manifest's folder) or an absolute glob; server paths "
        "must be under ALLOWED_FOLDER_ROOTS and URLs pass the URL jobs' rules.")
    inputs: list[str] | None = Field(None, min_length=1, max_length=10_000,
                                     description="Paths or URLs instead of a source.")
    mode: Mode = "pipeline"
    settings: JobSettings = Field(default_factory=JobSettings)
    concurrency: int | None = Field(None, ge=1, le=1024,
                                    description="Classify actors (default: one per CPU).")


class BatchProgressView(BaseModel):
    total: int = 0
    skipped: int = Field(0, description="Inputs an earlier run of this batch completed.")
    done: int = Field(0, description="Inputs finished by this run, failed ones included.")
    failed: int = 0
    completed: int = Field(0, description="skipped + done")
    remaining: int = 0
    percent: float = 0.0
    ads_per_minute: float = 0.0
    eta_seconds: float | None = None
    elapsed_seconds: float = 0.0
    nodes: dict[str, int] = Field(default_factory=dict, description="Rows per adclf node.")


class BatchView(BaseModel):
    batch_id: str = Field(..., description="A hash of what the batch classifies: submitting "
                          "the same batch again resumes it.")
    source: str | None = None
    mode: str
    settings: dict[str, Any] = Field(default_factory=dict)
    status: str = Field(..., description="queued | running | completed | failed")
    error: str | None = None
    concurrency: int | None = None
    runs: int = 1
    created_at: str | None = None
    finished_at: str | None = None
    progress: BatchProgressView
    results: dict[str, str] = Field(default_factory=dict,
                                    description="Download paths by format, once completed.")
