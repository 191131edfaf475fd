"""Submission and deletion bodies (and their answers): what users' scripts send."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from adclf.domain import JobSettings, Mode, Priority

_SETTINGS_EXAMPLE: Any = {"provider": "embedded", "scan_mode": "Tail Only",
                          "ocr_engine": "rapidocr"}
_CALLBACK_DESCRIPTION = (
    "Where adclf POSTs the finished job (the JSON of GET /jobs/{id}) when it completes or fails, "
    "signed in X-Adclf-Signature (README \"Webhooks\"). Omitted: WEBHOOK_DEFAULT_URL; \"\": "
    "none. The same address rules as URL jobs; refused (400) without WEBHOOK_SECRET.")


def _priority() -> Any:
    return Field("normal", description="Queue priority: a node starts every queued high job "
                 "before any normal one, and normal before low. Within a priority the jobs of "
                 "each submission (one request = one batch) take turns, so a large batch cannot "
                 "hold back a later one.")


def _callback_url() -> Any:
    return Field(None, max_length=2048, description=_CALLBACK_DESCRIPTION)


class ByUrlsRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "mode": "pipeline", "urls": ["https://example.com/ads/spring-sale.mp4"],
        "settings": _SETTINGS_EXAMPLE}]})

    mode: Mode = "pipeline"
    urls: list[str] = Field(..., min_length=1, description="http(s) URLs of video files")
    settings: JobSettings = Field(default_factory=JobSettings)
    priority: Priority = _priority()
    callback_url: str | None = _callback_url()


class ByFolderRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "mode": "pipeline", "folder_path": "/srv/ads/incoming", "settings": _SETTINGS_EXAMPLE}]})

    mode: Mode = "pipeline"
    folder_path: str = Field(..., min_length=1, max_length=4096)
    settings: JobSettings = Field(default_factory=JobSettings)
    recursive: bool = Field(False, description="Also look in sub-folders.")
    priority: Priority = _priority()
    callback_url: str | None = _callback_url()


class ByFilepathRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "mode": "pipeline", "file_path": "/srv/ads/incoming/ad1.mp4",
        "settings": _SETTINGS_EXAMPLE}]})

    mode: Mode = "pipeline"
    file_path: str = Field(..., min_length=1, max_length=4096)
    settings: JobSettings = Field(default_factory=JobSettings)
    priority: Priority = _priority()
    callback_url: str | None = _callback_url()


class SubmitResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "job_id": "node-a-6f1c2d8e-4b1a-4c53-9d7e-0a1b2c3d4e5f", "status": "queued"}]})

    job_id: str
    status: str


class BulkDeleteRequest(BaseModel):
    job_ids: list[str] = Field(..., min_length=1, max_length=500)


class BulkDeleteResponse(BaseModel):
    deleted: list[str]
    not_found: list[str]
    unavailable: list[str] = Field(default_factory=list)


class DeleteResponse(BaseModel):
    job_id: str
    deleted: bool
