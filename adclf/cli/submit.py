"""`adclf submit`: send URLs, server paths and uploads, then optionally watch the jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)

from adclf.cli.client import ApiClient, ApiError
from adclf.cli.sources import Plan
from adclf.cli.upload import upload_file

# Below this total size an upload takes well under a second on a LAN: no bars.
UPLOAD_PROGRESS_MIN_BYTES = 2 * 1024 * 1024


@dataclass
class Submitted:
    jobs: list[tuple[str, str]] = field(default_factory=list)  # (job id, source label)
    errors: list[str] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.jobs)


def _fatal(exc: ApiError) -> bool:
    # No point trying the next file when the service is down or refuses our credentials.
    return exc.status is None or exc.status in (401, 403, 503)


def submit_plan(client: ApiClient, plan: Plan, mode: str, settings: dict[str, Any],
                recursive: bool, console: Console, priority: str | None = None) -> Submitted:
    """`priority`: None leaves the server's default (normal)."""
    done = Submitted()
    body: dict[str, Any] = {"mode": mode, "settings": settings}
    if priority:
        body["priority"] = priority
    try:
        if plan.urls:
            _try(done, "URLs", lambda: [(j["job_id"], url) for j, url in zip(client.post(
                "/jobs/by-urls", {**body, "urls": plan.urls}), plan.urls, strict=False)])
        for path in plan.server_files:
            _try(done, path, lambda p=path: [(client.post(
                "/jobs/by-filepath", {**body, "file_path": p})["job_id"], p)])
        for folder in plan.server_folders:
            _try(done, folder, lambda f=folder: [(j["job_id"], f"{f}/…") for j in client.post(
                "/jobs/by-folder", {**body, "folder_path": f, "recursive": recursive})])
        if plan.uploads:
            _upload_all(client, plan.uploads, mode, settings, console, done, priority)
    except ApiError as exc:
        done.errors.append(exc.message)
    return done


def _try(done: Submitted, what: str, call: Any) -> None:
    try:
        done.jobs += call()
    except ApiError as exc:
        if _fatal(exc):
            raise
        done.errors.append(f"{what}: {exc.message}")


def _upload_all(client: ApiClient, paths: list[Path], mode: str, settings: dict[str, Any],
                console: Console, done: Submitted, priority: str | None = None) -> None:
    total = sum(p.stat().st_size for p in paths)
    show = total >= UPLOAD_PROGRESS_MIN_BYTES
    columns = (TextColumn("uploading {task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True, disable=not show) as progress:
        for path in paths:
            task = progress.add_task(escape(path.name), total=path.stat().st_size)

            def advance(n: int, task: Any = task) -> None:
                progress.advance(task, n)

            _try(done, str(path), lambda p=path, cb=advance: [(upload_file(
                client, p, mode, settings, cb, priority)["job_id"], p.name)])
            progress.update(task, visible=False)
