"""/jobs: submit, read, stream, delete. Thin: each route calls one service method."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from adclf.api.deps import Authenticated, FilesDep, JobsDep, SubmissionsDep, UploadsDep
from adclf.api.files import send_file
from adclf.api.multipart import MultipartUpload
from adclf.api.schemas import (
    ArtifactsView,
    BulkDeleteRequest,
    BulkDeleteResponse,
    ByFilepathRequest,
    ByFolderRequest,
    ByUrlsRequest,
    DeleteResponse,
    ErrorView,
    EventsView,
    ExplanationView,
    JobResult,
    JobView,
    SubmitResponse,
    ValidationErrorView,
)

router = APIRouter(tags=["jobs"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView}, 422: {"model": ValidationErrorView},
                              503: {"model": ErrorView}})

StatusFilter = Literal["queued", "re-queued", "processing", "completed", "failed", "running"]


@router.post("/jobs/by-urls", response_model=list[SubmitResponse],
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView},
                        413: {"model": ErrorView}, 429: {"model": ErrorView}})
async def submit_by_urls(body: ByUrlsRequest, submissions: SubmissionsDep
                         ) -> list[dict[str, Any]]:
    """One job per URL (http/https only), placed on the least-loaded live node."""
    return await submissions.submit_urls(body.mode, body.urls, body.settings, body.callback_url,
                                         body.priority)


@router.post("/jobs/by-folder", response_model=list[SubmitResponse],
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView}})
async def submit_by_folder(body: ByFolderRequest, submissions: SubmissionsDep
                           ) -> list[dict[str, Any]]:
    """One job per video file (.mp4 .mov .avi .mkv .webm .m4v) in a folder under
    ALLOWED_FOLDER_ROOTS."""
    return await submissions.submit_folder(body.mode, body.folder_path, body.settings,
                                           body.recursive, body.callback_url, body.priority)


@router.post("/jobs/by-filepath", response_model=SubmitResponse,
             responses={400: {"model": ErrorView}, 403: {"model": ErrorView}})
async def submit_by_filepath(body: ByFilepathRequest, submissions: SubmissionsDep
                             ) -> dict[str, Any]:
    """One job for a video file on the server, under ALLOWED_FOLDER_ROOTS."""
    return await submissions.submit_filepath(body.mode, body.file_path, body.settings,
                                             body.callback_url, body.priority)


@router.post(
    "/jobs/upload", response_model=SubmitResponse,
    responses={400: {"model": ErrorView}, 413: {"model": ErrorView}},
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "mode": {"type": "string", "enum": ["pipeline", "agent"], "default": "pipeline"},
            "priority": {"type": "string", "enum": ["high", "normal", "low"],
                         "default": "normal"},
            "settings": {"type": "string", "description": "JobSettings as a JSON object"},
            "provider": {"type": "string"}, "scan_mode": {"type": "string"},
            "ocr_engine": {"type": "string"}, "model_name": {"type": "string"},
            "callback_url": {"type": "string", "description": "Where the finished job is POSTed, "
                             "signed (README \"Webhooks\"); \"\": none"},
        }}}}}},
)
async def upload(request: Request, uploads: UploadsDep,
                 content_length: Annotated[int | None, Header()] = None) -> dict[str, Any]:
    """Upload one video (multipart field `file`), with `mode`, `priority` and settings as form
    fields (`settings` as a JSON object, or individual fields such as `provider`, `scan_mode`)."""
    return await uploads.receive(MultipartUpload(request), content_length,
                                 request.headers.get("x-filename"))


@router.get("/jobs", response_model=list[JobView])
async def list_local_jobs(
    jobs: JobsDep,
    status: Annotated[StatusFilter | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[dict[str, Any]]:
    """This node's jobs, newest first (see /cluster/jobs for every node)."""
    return await jobs.list_local(status, q, limit, offset)


@router.get("/jobs/export", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
async def export_jobs(jobs: JobsDep,
                      format: Annotated[Literal["csv", "parquet"], Query()] = "csv") -> Response:
    """Every node's jobs with their results as CSV or Parquet (written by DuckDB)."""
    data = await jobs.export(format)
    media = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="adclf-jobs.{format}"'})


@router.post("/jobs/bulk-delete", response_model=BulkDeleteResponse)
async def bulk_delete(body: BulkDeleteRequest, jobs: JobsDep) -> dict[str, list[str]]:
    """Delete up to 500 jobs on any nodes (running ones are aborted)."""
    return await jobs.delete(body.job_ids)


@router.get("/jobs/{job_id}", response_model=JobView)
async def get_job(job_id: str, jobs: JobsDep) -> dict[str, Any]:
    return await jobs.job(job_id)


@router.get("/jobs/{job_id}/result", response_model=JobResult)
async def get_result(job_id: str, jobs: JobsDep) -> dict[str, Any]:
    """`result`: the original's rows (null until the job is done); our flat fields beside."""
    return await jobs.result(job_id)


@router.get("/jobs/{job_id}/artifacts", response_model=ArtifactsView)
async def get_artifacts(job_id: str, request: Request, jobs: JobsDep) -> dict[str, Any]:
    """`artifacts`: the original's object (latest_frames, ocr_text {text, lines},
    category_mapper, processing_trace...); ours beside it: frames (with URLs), OCR text and
    lines, speech, logos, the mapper's top matches and the attempt trace."""
    return await jobs.artifacts(job_id, str(request.base_url).rstrip("/"))


@router.get("/jobs/{job_id}/artifacts/{name:path}", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}, "application/json": {}}}})
async def get_artifact_file(job_id: str, name: str, files: FilesDep) -> Response:
    """One artifact file of the job (only files inside the job's own artifact folder)."""
    return await send_file(files, job_id, name, None)


@router.get("/jobs/{job_id}/video", response_class=Response,
            responses={200: {"content": {"video/mp4": {}}}, 206: {"description": "range"}})
async def get_video(job_id: str, files: FilesDep,
                    range: Annotated[str | None, Header()] = None) -> Response:
    """The job's own video (upload, server file or downloaded URL), with HTTP range support."""
    return await send_file(files, job_id, "video", range)


@router.get("/jobs/{job_id}/video-poster", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
async def get_video_poster(job_id: str, files: FilesDep) -> Response:
    """A JPEG poster of the job's video: its last sampled frame (the end card); 404 before the
    job has frames."""
    return await send_file(files, job_id, await files.poster(job_id), None,
                           cache="public, max-age=300")


@router.get("/jobs/{job_id}/events", response_model=EventsView)
async def get_events(job_id: str, jobs: JobsDep) -> dict[str, Any]:
    """`events`: the original's lines ("<ISO ts> <stage>: <detail>"); `entries`: ours."""
    return await jobs.events(job_id)


@router.get("/jobs/{job_id}/explanation", response_model=ExplanationView)
async def get_explanation(job_id: str, request: Request, jobs: JobsDep) -> dict[str, Any]:
    """`explanation`: the original's object; ours beside it (attempts, mapping, timings, brand
    evidence, speech, logos, settings_notes)."""
    return await jobs.explanation(job_id, str(request.base_url).rstrip("/"))


@router.get("/jobs/{job_id}/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream_job(job_id: str, jobs: JobsDep) -> StreamingResponse:
    """Server-sent events: `update` with the job on every change, `complete` at the end."""
    changes = await jobs.follow(job_id)

    async def events() -> AsyncIterator[str]:
        async for change in changes:
            if change.kind == "quiet":
                yield ": keep-alive\n\n"
            elif change.kind == "deleted":
                yield _sse("error", {"detail": f"job {job_id} was deleted"})
            else:
                yield _sse("complete" if change.kind == "final" else "update", change.job)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


@router.delete("/jobs/{job_id}", response_model=DeleteResponse)
async def delete_job(job_id: str, jobs: JobsDep) -> dict[str, Any]:
    """Delete a job and its files; a running job is aborted."""
    await jobs.delete_one(job_id)
    return {"job_id": job_id, "deleted": True}
