"""/jobs: submit, read, stream, delete. Thin: each route calls one service method."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from adclf.api.deps import Authenticated, ServicesDep
from adclf.api.schemas import (
    ArtifactsView,
    BulkDeleteRequest,
    BulkDeleteResponse,
    ByFilepathRequest,
    ByFolderRequest,
    ByUrlsRequest,
    DeleteResponse,
    ErrorView,
    EventView,
    ExplanationView,
    JobResult,
    JobView,
    SubmitResponse,
)
from adclf.api.uploads import receive_upload
from adclf.domain import FINAL_STATUSES, JobSettings
from adclf.errors import BadInput
from adclf.services import views

router = APIRouter(tags=["jobs"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView},
                              503: {"model": ErrorView}})

StatusFilter = Literal["queued", "re-queued", "processing", "completed", "failed", "running"]


def status_list(status: str | None) -> list[str] | None:
    if not status:
        return None
    if status == "running":
        return ["processing"]
    if status == "queued":
        return ["queued", "re-queued"]
    return [status]


@router.post("/jobs/by-urls", response_model=list[SubmitResponse],
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView},
                        413: {"model": ErrorView}, 429: {"model": ErrorView}})
async def submit_by_urls(body: ByUrlsRequest, services: ServicesDep) -> list[dict[str, Any]]:
    """One job per URL (http/https only), placed on the least-loaded live node."""
    return await services.jobs.submit_urls(body.mode, body.urls, body.settings)


@router.post("/jobs/by-folder", response_model=list[SubmitResponse],
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView}})
async def submit_by_folder(body: ByFolderRequest, services: ServicesDep) -> list[dict[str, Any]]:
    """One job per video file (.mp4 .mov .avi .mkv .webm .m4v) in a folder under
    ALLOWED_FOLDER_ROOTS."""
    return await services.jobs.submit_folder(body.mode, body.folder_path, body.settings,
                                             body.recursive)


@router.post("/jobs/by-filepath", response_model=SubmitResponse,
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView}})
async def submit_by_filepath(body: ByFilepathRequest, services: ServicesDep) -> dict[str, Any]:
    """One job for a video file on the server, under ALLOWED_FOLDER_ROOTS."""
    return await services.jobs.submit_filepath(body.mode, body.file_path, body.settings)


@router.post(
    "/jobs/upload", response_model=SubmitResponse,
    responses={400: {"model": ErrorView}, 413: {"model": ErrorView}},
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "mode": {"type": "string", "enum": ["pipeline", "agent"], "default": "pipeline"},
            "settings": {"type": "string", "description": "JobSettings as a JSON object"},
            "provider": {"type": "string"}, "scan_mode": {"type": "string"},
            "ocr_engine": {"type": "string"}, "model_name": {"type": "string"}}}}}}},
)
async def upload(request: Request, services: ServicesDep,
                 content_length: Annotated[int | None, Header()] = None) -> dict[str, Any]:
    """Upload one video (multipart field `file`), with `mode` and settings as form fields
    (`settings` as a JSON object, or individual fields such as `provider`, `scan_mode`)."""
    return await receive_upload(request, services, content_length, parse_form_settings)


def parse_form_settings(fields: dict[str, str]) -> tuple[str, JobSettings]:
    mode = fields.get("mode", "pipeline") or "pipeline"
    if mode not in ("pipeline", "agent"):
        raise BadInput(f"mode must be 'pipeline' or 'agent', not {mode[:40]!r}")
    raw: dict[str, Any] = {}
    if fields.get("settings"):
        try:
            raw = json.loads(fields["settings"])
        except json.JSONDecodeError as exc:
            raise BadInput(f"the 'settings' field is not valid JSON: {exc.msg}") from None
        if not isinstance(raw, dict):
            raise BadInput("the 'settings' field must be a JSON object")
    for key in JobSettings.model_fields:
        if key in fields and key != "categories":
            raw[key] = fields[key]
    try:
        return mode, JobSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"invalid setting {where}: {first['msg']}") from None


@router.get("/jobs", response_model=list[JobView])
async def list_local_jobs(
    services: ServicesDep,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[dict[str, Any]]:
    """This node's jobs, newest first (see /cluster/jobs for every node)."""
    page = await services.jobs.list_node(services.local_node, status_list(status), q, limit,
                                         offset)
    return [views.job_view(r) for r in page["jobs"]]


@router.get("/jobs/export", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
async def export_jobs(services: ServicesDep,
                      format: Annotated[Literal["csv", "parquet"], Query()] = "csv") -> Response:
    """Every node's jobs with their results as CSV or Parquet (written by DuckDB)."""
    from adclf.services.export import export_cluster

    data = await export_cluster(services.jobs, format)
    media = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="adclf-jobs.{format}"'})


@router.post("/jobs/bulk-delete", response_model=BulkDeleteResponse)
async def bulk_delete(body: BulkDeleteRequest, services: ServicesDep) -> dict[str, list[str]]:
    """Delete up to 500 jobs on any nodes (running ones are aborted)."""
    return await services.jobs.delete(body.job_ids)


@router.get("/jobs/{job_id}", response_model=JobView)
async def get_job(job_id: str, services: ServicesDep) -> dict[str, Any]:
    return views.job_view(await services.jobs.get(job_id))


@router.get("/jobs/{job_id}/result", response_model=JobResult)
async def get_result(job_id: str, services: ServicesDep) -> dict[str, Any]:
    return views.result_view(await services.jobs.get(job_id))


@router.get("/jobs/{job_id}/artifacts", response_model=ArtifactsView)
async def get_artifacts(job_id: str, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Frames (with URLs), OCR text and lines, the mapper's top matches and the attempt trace."""
    base = str(request.base_url).rstrip("/")
    return views.artifacts_view(await services.jobs.get(job_id), base)


@router.get("/jobs/{job_id}/artifacts/{name:path}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}, "application/json": {}}}})
async def get_artifact_file(job_id: str, name: str, services: ServicesDep) -> Response:
    """One artifact file of the job (only files inside the job's own artifact folder)."""
    from adclf.api.files import send_file

    return await send_file(services, job_id, name, None)


@router.get("/jobs/{job_id}/video", response_class=Response,
            responses={200: {"content": {"video/mp4": {}}}, 206: {"description": "range"}})
async def get_video(job_id: str, services: ServicesDep,
                    range: Annotated[str | None, Header()] = None) -> Response:
    """The job's own video (upload, server file or downloaded URL), with HTTP range support."""
    from adclf.api.files import send_file

    return await send_file(services, job_id, "video", range)


@router.get("/jobs/{job_id}/events", response_model=list[EventView])
async def get_events(job_id: str, services: ServicesDep) -> list[dict[str, Any]]:
    store = services.jobs.store_for_job(job_id)
    return [views.event_view(e) for e in await store.events(job_id)]


@router.get("/jobs/{job_id}/explanation", response_model=ExplanationView)
async def get_explanation(job_id: str, services: ServicesDep) -> dict[str, Any]:
    return views.explanation_view(await services.jobs.get(job_id))


@router.get("/jobs/{job_id}/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream_job(job_id: str, services: ServicesDep) -> StreamingResponse:
    """Server-sent events: `update` with the job on every change, `complete` at the end."""
    store = services.jobs.store_for_job(job_id)
    first = await store.get(job_id)

    async def events() -> AsyncIterator[str]:
        row: dict[str, Any] | None = first
        yield _sse("update", views.job_view(first))
        while row is not None and row["status"] not in FINAL_STATUSES:
            since = row["updated_at"]
            row = await store.wait_change(job_id, since, timeout=15.0)
            if row is None:
                yield _sse("error", {"detail": f"job {job_id} was deleted"})
                return
            if row["updated_at"] == since:
                yield ": keep-alive\n\n"
                continue
            yield _sse("update", views.job_view(row))
        if row is not None:
            yield _sse("complete", views.job_view(row))
        await asyncio.sleep(0)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


@router.delete("/jobs/{job_id}", response_model=DeleteResponse)
async def delete_job(job_id: str, services: ServicesDep) -> dict[str, Any]:
    """Delete a job and its files; a running job is aborted."""
    store = services.jobs.store_for_job(job_id)
    got = await store.delete([job_id])
    if not got["deleted"]:
        from adclf.errors import NotFound

        raise NotFound(f"job {job_id} not found")
    return {"job_id": job_id, "deleted": True}
