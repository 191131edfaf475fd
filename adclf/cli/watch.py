"""Following jobs until they finish: one Rich progress bar per job, fed by polling GET /jobs/{id}.

Polling (rather than one SSE stream per job) keeps a single connection and no threads however many
jobs are watched; the store answers a GET in a few milliseconds."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from adclf.cli.client import ApiClient, ApiError
from adclf.cli.render import source_label

FINAL = ("completed", "failed")
# How long the service may be unreachable (a Serve replica restarting) before watching stops.
OUTAGE_SECONDS = 60.0


def _label(text: str, width: int = 28) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _state(job: dict[str, Any]) -> str:
    status = job.get("status") or ""
    stage = job.get("stage") or ""
    detail = job.get("stage_detail") or ""
    shown = stage if stage and stage != status else ""
    return " ".join(x for x in (status, shown, f"({detail})" if detail else "") if x)


def watch_jobs(client: ApiClient, job_ids: list[str], labels: dict[str, str],
               console: Console, interval: float = 0.5, timeout: float | None = None
               ) -> dict[str, dict[str, Any]]:
    """Poll until every job is completed or failed; returns the last view of each job. A job
    that disappears (deleted) is reported as failed."""
    last: dict[str, dict[str, Any]] = {}
    deadline = None if timeout is None else time.monotonic() + timeout
    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), TextColumn("{task.fields[state]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, TaskID] = {
            job_id: progress.add_task(_label(labels.get(job_id) or job_id[:20] + "…"), total=100,
                                      state="submitted")
            for job_id in job_ids}
        pending = list(job_ids)
        outage_since: float | None = None
        while pending:
            for job_id in list(pending):
                try:
                    job = client.get(f"/jobs/{job_id}")
                    outage_since = None
                except ApiError as exc:
                    if exc.status == 404:
                        job = {"job_id": job_id, "status": "failed", "progress": 100,
                               "error": "the job was deleted"}
                    elif exc.status is None or exc.status >= 500:
                        outage_since = outage_since or time.monotonic()
                        if time.monotonic() - outage_since > OUTAGE_SECONDS:
                            raise
                        continue
                    else:
                        raise
                last[job_id] = job
                extra: dict[str, Any] = {}
                if job_id not in labels and source_label(job):
                    # `adclf watch ID` knows only ids; the file name reads better once known.
                    extra["description"] = _label(source_label(job))
                progress.update(tasks[job_id], completed=float(job.get("progress") or 0),
                                state=_state(job), **extra)
                if job.get("status") in FINAL:
                    pending.remove(job_id)
            if pending:
                if deadline is not None and time.monotonic() > deadline:
                    raise ApiError(f"{len(pending)} job(s) still running after {timeout:.0f} s: "
                                   + ", ".join(pending))
                time.sleep(interval)
    return last
