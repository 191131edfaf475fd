"""Helpers for the service tests: one real adclf node (a real JobStore actor on the session's
Ray, no workers: a test plays the worker when it needs a job to move) and a streamed form."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.services.bundle import Services
from adclf.store.client import WorkerStoreClient

NODE = "svc-a"


@dataclass
class Fleet:
    settings: Settings
    registry: NodeRegistry
    services: Services
    worker: WorkerStoreClient  # the store as a worker sees it
    video: Path  # a real ad under ALLOWED_FOLDER_ROOTS

    def stored_uploads(self) -> set[Path]:
        return {p for p in self.settings.upload_dir.rglob("*") if p.is_file()}


@dataclass
class BytesForm:
    """An upload as the HTTP layer hands it over: the file in chunks, then the other fields."""

    data: bytes
    form_fields: dict[str, str] = field(default_factory=dict)
    client_name: str | None = "ad.mp4"
    chunk: int = 64 * 1024
    read: int = 0  # bytes the service has taken

    async def file_bytes(self) -> AsyncIterator[bytes]:
        for i in range(0, len(self.data), self.chunk):
            piece = self.data[i:i + self.chunk]
            self.read += len(piece)
            yield piece

    @property
    def fields(self) -> Mapping[str, str]:
        return self.form_fields

    @property
    def filename(self) -> str | None:
        return self.client_name


def settings_for(data_dir: Path, roots: Path, **overrides: Any) -> Settings:
    return Settings(NODE_NAME=NODE, DATA_DIR=data_dir, ALLOWED_FOLDER_ROOTS=[roots],
                    WORKERS_PER_NODE=0, MAX_UPLOAD_MB=5, CLEANUP_ENABLED=False, **overrides)
