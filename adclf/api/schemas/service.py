"""The service's own state: job pages, nodes, models, logs, health, metrics and errors."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class NodeView(BaseModel):
    node: str
    alive: bool
    available: bool
    maintenance: bool = False
    maintenance_mode: bool = False
    accepting_new_jobs: bool = Field(False, description="alive, store answering, and not in "
                                     "maintenance")
    queued: int = 0
    processing: int = 0
    completed: int = 0
    failed: int = 0
    workers: int = 0
    resources: dict[str, float] = Field(default_factory=dict)
    ray_node_id: str = ""
    address: str = ""
    message: str | None = None


class ClusterNodesView(BaseModel):
    nodes: dict[str, str] = Field(description="node name → address (the original's map)")
    status: dict[str, bool]
    maintenance: dict[str, bool]
    accepting_new_jobs: dict[str, bool]
    self: str
    node_views: list[NodeView]


class ModelView(BaseModel):
    name: str
    size: Any = None
    modified_at: Any = None


class LogLines(BaseModel):
    lines: list[str]


class MaintenanceRequest(BaseModel):
    enabled: bool


class HealthView(BaseModel):
    status: Literal["ok", "degraded"]
    node: str
    db: str
    nodes_alive: int = 1


class MetricsView(BaseModel):
    node: str
    jobs_queued: int
    jobs_processing: int
    jobs_completed: int
    jobs_failed: int
    jobs_submitted_this_process: int
    uptime_seconds: float
    nodes: dict[str, dict[str, Any]] = Field(default_factory=dict)


class ErrorView(BaseModel):
    detail: str


class ValidationErrorView(BaseModel):
    detail: str = Field(description="What is wrong, as one readable message.")
    errors: list[dict[str, Any]] = Field(default_factory=list,
                                         description="FastAPI's per-field errors (loc, msg, type)")
