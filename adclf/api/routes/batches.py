"""/batches: batch runs on Ray Data (README "Batch runs"). Thin: each route calls one service
method."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from adclf.api.deps import Authenticated, BatchesDep
from adclf.api.schemas import BatchRequest, BatchView, ErrorView, ValidationErrorView

router = APIRouter(tags=["batches"], dependencies=Authenticated,
                   responses={400: {"model": ErrorView}, 401: {"model": ErrorView},
                              404: {"model": ErrorView}, 422: {"model": ValidationErrorView},
                              503: {"model": ErrorView}})

MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}


@router.post("/batches", response_model=BatchView, status_code=202,
             responses={403: {"model": ErrorView}, 413: {"model": ErrorView}})
async def submit_batch(body: BatchRequest, batches: BatchesDep) -> dict[str, Any]:
    """Classify a folder, manifest, glob or list on Ray Data into one Parquet/CSV file. The same
    request again resumes the batch (its completed inputs are skipped)."""
    return await batches.submit(body.source, body.inputs, body.mode,
                                body.settings.model_dump(exclude_none=True), body.concurrency)


@router.get("/batches", response_model=list[BatchView])
async def list_batches(batches: BatchesDep) -> list[dict[str, Any]]:
    """Every batch, newest first."""
    return await batches.list()


@router.get("/batches/{batch_id}", response_model=BatchView)
async def get_batch(batch_id: str, batches: BatchesDep) -> dict[str, Any]:
    """A batch's status and progress (done/total, failures, ads/min, ETA, rows per node)."""
    return await batches.get(batch_id)


@router.get("/batches/{batch_id}/results", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
async def batch_results(batch_id: str, batches: BatchesDep,
                        format: Annotated[Literal["parquet", "csv"], Query()] = "parquet"
                        ) -> StreamingResponse:
    """The results: one row per input (the job result fields, status, error, explanation JSON)."""
    size, chunks = await batches.results(batch_id, format)
    return StreamingResponse(chunks, media_type=MEDIA[format], headers={
        "Content-Length": str(size),
        "Content-Disposition": f'attachment; filename="adclf-{batch_id}.{format}"'})
