"""The benchmark lab's answers that have a fixed shape: a truth (the original's "test"), a suite's
summary and the deletions. The original's keys first, ours (set_id, source_kind, matrix, ...)
beside them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class TruthView(BaseModel):
    """One truth item: a video and the answer expected for it."""

    truth_id: str
    test_id: str = Field(description="the same id (the original's dashboard calls it a test)")
    suite_id: str = Field("", description="always empty: a truth belongs to a set, not a suite")
    set_id: str
    name: str
    source_kind: Literal["url", "file", "upload"]
    video_url: str
    source_url: str
    expected_brand: str
    expected_category: str = Field(description="a taxonomy id, or empty")
    expected_categories: list[str]
    expected_ocr_text: str
    expected_confidence: float | None = None
    expected_reasoning: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None
    updated_at: str | None


class SuiteSummaryView(BaseModel):
    """A suite and the state of its jobs (`status` is `completed` once every job is final)."""

    suite_id: str
    truth_id: str = Field(description="the suite's truth set (the original's truth)")
    truth_name: str
    name: str
    description: str
    status: Literal["running", "completed"]
    total_jobs: int
    completed_jobs: int
    failed_jobs: int = Field(description="failed or deleted jobs")
    evaluated_at: str | None = None
    created_at: str | None
    updated_at: str | None
    set_id: str
    matrix: dict[str, Any]
    test_count: int


class SuiteDeletedView(BaseModel):
    status: Literal["deleted"]
    suite_id: str
    deleted_tests: int = Field(description="always 0: the truth set outlives its suites")
    deleted_jobs: int
    deleted_results: int = Field(description="stored per-job scores removed")


class TruthDeletedView(BaseModel):
    deleted: str
    set_id: str
    deleted_jobs: int = Field(description="jobs of finished suites that ran this truth")


class DeletedTestView(BaseModel):
    status: Literal["deleted"]
    test_id: str
    suite_id: str = ""
    set_id: str
    deleted_jobs: int = Field(description="jobs of finished suites that ran this truth")
