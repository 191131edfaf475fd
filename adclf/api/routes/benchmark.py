"""/api/benchmark: the benchmark lab. The original's paths and shapes (truths, run, suites,
results; its dashboard's `/benchmarks/suites` and `/benchmarks/tests` edits, a "test" being a
truth) and ours beside them (truth sets, CSV import, export). One service call per route."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from adclf.api.deps import Authenticated, BenchmarksDep
from adclf.api.multipart import MultipartUpload
from adclf.api.schemas import (
    DeletedTestView,
    ErrorView,
    SuiteDeletedView,
    SuiteSummaryView,
    TruthDeletedView,
    TruthView,
    ValidationErrorView,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorView} for code in (400, 401, 403, 404, 413, 429, 503)}
ERRORS[422] = {"model": ValidationErrorView}
router = APIRouter(tags=["benchmark"], dependencies=Authenticated, responses=ERRORS)
NO_SUITE: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorView, "description": "No such suite"}}
NO_TRUTH: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorView, "description": "No such truth"}}
TRUTH_IN_USE: dict[int | str, dict[str, Any]] = {**NO_TRUTH, 409: {
    "model": ErrorView, "description": "A suite that is still running uses this truth"}}


class TruthIn(BaseModel):
    """One video with its expected answer. `video_url`: an http(s) URL or a path under
    ALLOWED_FOLDER_ROOTS; `expected_category`: a taxonomy id or name."""

    model_config = ConfigDict(extra="ignore")  # the original also sends confidence, reasoning...

    name: str = Field("", max_length=300)
    video_url: str = Field(..., min_length=1, max_length=2048)
    expected_brand: str = Field(..., min_length=1, max_length=300)
    expected_category: str = Field("", max_length=300)
    expected_categories: list[str] = Field(default_factory=list, max_length=50)
    expected_ocr_text: str = Field("", max_length=5000)
    expected_confidence: float | None = Field(None, ge=0.0, le=1.0)
    expected_reasoning: str = Field("", max_length=5000)

    def item(self) -> dict[str, Any]:
        category = self.expected_category or next(iter(self.expected_categories), "")
        return {**self.model_dump(), "expected_category": category}


class TruthUpdateIn(BaseModel):
    """The original's test edit: every field is optional; one left out (or null) is kept."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field must not pass as "no change"

    source_url: str | None = Field(None, max_length=2048, description=(
        "an http(s) URL or a path under ALLOWED_FOLDER_ROOTS; the current source is kept as is"))
    expected_ocr_text: str | None = Field(None, max_length=5000)
    expected_categories: list[Annotated[str, Field(max_length=300)]] | None = Field(
        None, max_length=50, description="its first entry is the category when "
        "expected_category is not given")
    expected_brand: str | None = Field(None, max_length=300)
    expected_category: str | None = Field(None, max_length=300,
                                          description="a taxonomy id or name; empty: none")
    expected_confidence: float | None = Field(None, ge=0.0, le=1.0)
    expected_reasoning: str | None = Field(None, max_length=5000)


class SuiteUpdateIn(BaseModel):
    """The original's suite edit: both fields are written."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=300)
    description: str = Field("", max_length=2000)


class TruthSetIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=300)
    items: list[TruthIn] = Field(..., min_length=1, max_length=500)


class CsvImportIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=300)
    csv: str = Field(..., min_length=1, max_length=500_000, description=(
        "CSV text with a header: video (or video_url, url, path), expected_brand, and "
        "optionally name, expected_category (id or name), expected_ocr_text."))


class RunIn(BaseModel):
    """A suite: every combination of the four axes, on every item of `set_id` (or on the one
    truth `truth_id`, as the original does). Empty axes take the defaults."""

    model_config = ConfigDict(extra="ignore")  # the original's models/model_combos/express_mode

    set_id: str | None = Field(None, max_length=100)
    truth_id: str | None = Field(None, max_length=100)
    name: str = Field("", max_length=300)
    providers: list[str] = Field(default_factory=list, max_length=10)
    scan_modes: list[str] = Field(default_factory=lambda: ["Tail Only", "Full Video"],
                                  max_length=5)
    ocr_engines: list[str] = Field(default_factory=lambda: ["rapidocr"], max_length=5)
    ocr_modes: list[str] = Field(default_factory=lambda: ["Fast"], max_length=5)
    model_name: str | None = Field(None, max_length=200)

    def matrix(self) -> dict[str, list[str]]:
        return {"provider": self.providers, "scan_mode": self.scan_modes,
                "ocr_engine": self.ocr_engines, "ocr_mode": self.ocr_modes}


@router.post("/api/benchmark/truths")
async def create_truth(body: TruthIn, lab: BenchmarksDep) -> dict[str, Any]:
    """The original's single truth (kept in the `default` truth set): `{truth_id}`."""
    return await lab.create_truth(body.item())


@router.get("/api/benchmark/truths")
async def list_truths(lab: BenchmarksDep) -> dict[str, Any]:
    """Every truth item of every set: `{truths: [...]}`."""
    return await lab.truths()


@router.get("/api/benchmark/truths/{truth_id}", response_model=TruthView, responses=NO_TRUTH)
async def get_truth(truth_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    return await lab.truth(truth_id)


@router.delete("/api/benchmark/truths/{truth_id}", response_model=TruthDeletedView,
               responses=TRUTH_IN_USE)
async def delete_truth(truth_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    """Delete a truth, with its jobs and runs in finished suites (409 while a suite that ran it
    is still running)."""
    return await lab.delete_truth(truth_id)


@router.put("/benchmarks/tests/{truth_id}", response_model=TruthView, responses=NO_TRUTH)
async def update_test(truth_id: str, body: TruthUpdateIn, lab: BenchmarksDep
                      ) -> dict[str, Any]:
    """The original's test edit (a test is a truth): the truth as `GET
    /api/benchmark/truths/{truth_id}` answers it."""
    return await lab.update_truth(truth_id, body.model_dump(exclude_none=True))


@router.delete("/benchmarks/tests/{truth_id}", response_model=DeletedTestView,
               responses=TRUTH_IN_USE)
async def delete_test(truth_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    """The original's test deletion: as `DELETE /api/benchmark/truths/{truth_id}`."""
    return await lab.delete_test(truth_id)


@router.get("/api/benchmark/truth-sets")
async def list_truth_sets(lab: BenchmarksDep) -> dict[str, Any]:
    """`{truth_sets: [{set_id, name, item_count, created_at}]}`."""
    return await lab.truth_sets()


@router.post("/api/benchmark/truth-sets")
async def create_truth_set(body: TruthSetIn, lab: BenchmarksDep) -> dict[str, Any]:
    return await lab.create_set(body.name, [t.item() for t in body.items])


@router.post("/api/benchmark/truth-sets/import")
async def import_truth_set(body: CsvImportIn, lab: BenchmarksDep) -> dict[str, Any]:
    """A new truth set from CSV text (all rows are checked before anything is stored)."""
    return await lab.import_csv(body.name, body.csv)


@router.post(
    "/api/benchmark/truth-sets/{set_id}/upload",
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": ["file", "expected_brand"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "expected_brand": {"type": "string"}, "expected_category": {"type": "string"},
            "expected_ocr_text": {"type": "string"}, "name": {"type": "string"},
            "set_name": {"type": "string", "description": "the set's name if it is new"},
        }}}}}},
)
async def upload_truth(set_id: str, request: Request, lab: BenchmarksDep,
                       content_length: Annotated[int | None, Header()] = None) -> dict[str, Any]:
    """Add an uploaded video (multipart `file`) with its expected answer to the set `set_id`
    (created if new). Its benchmark jobs run on the node that keeps the lab."""
    return await lab.upload_truth(set_id, MultipartUpload(request), content_length)


@router.get("/api/benchmark/truth-sets/{set_id}")
async def get_truth_set(set_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    return await lab.truth_set(set_id)


@router.post("/api/benchmark/run")
async def run_suite(body: RunIn, lab: BenchmarksDep) -> dict[str, Any]:
    """Submit the suite's jobs (priority low, one batch): `{suite_id, jobs_enqueued, matrix,
    jobs: [{job_id, params}]}`."""
    return await lab.start_suite(body.matrix(), body.set_id, body.truth_id, body.name,
                                 body.model_name)


@router.get("/api/benchmark/suites")
async def list_suites(lab: BenchmarksDep) -> dict[str, Any]:
    return await lab.suites()


@router.get("/api/benchmark/suites/{suite_id}")
async def get_suite(suite_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    return await lab.suite(suite_id)


@router.put("/benchmarks/suites/{suite_id}", response_model=SuiteSummaryView,
            responses=NO_SUITE)
async def update_suite(suite_id: str, body: SuiteUpdateIn, lab: BenchmarksDep
                       ) -> dict[str, Any]:
    """Rename a suite and set its description: the suite's summary."""
    return await lab.update_suite(suite_id, body.name, body.description)


@router.delete("/benchmarks/suites/{suite_id}", response_model=SuiteDeletedView,
               responses=NO_SUITE)
async def delete_suite(suite_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    """Delete a suite, its jobs (a running suite's are aborted) and its scores; its truths
    stay (a truth set outlives its suites)."""
    return await lab.delete_suite(suite_id)


@router.get("/api/benchmark/suites/{suite_id}/results")
async def suite_results(suite_id: str, lab: BenchmarksDep) -> dict[str, Any]:
    """The original's `points` (one per job) and `configurations`: per configuration brand,
    category (exact, tier-1, tier-2) accuracy, OCR similarity, latency p50/p95 and the mean
    confidence of right and wrong answers; `runs`: each job's scores."""
    return await lab.results(suite_id)


@router.get("/api/benchmark/suites/{suite_id}/export", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
async def export_suite(
    suite_id: str, lab: BenchmarksDep,
    format: Annotated[Literal["csv", "parquet"], Query()] = "csv",
    table: Annotated[Literal["configurations", "runs"], Query()] = "configurations",
) -> Response:
    data = await lab.export(suite_id, format, table)
    media = "text/csv" if format == "csv" else "application/vnd.apache.parquet"
    name = f"{suite_id}-{table}.{format}"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
