"""Rich tables and panels for the API's JSON shapes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

STATUS_STYLE = {"completed": "green", "failed": "red", "processing": "cyan",
                "queued": "yellow", "re-queued": "yellow"}


def status_text(status: str | None) -> Text:
    return Text(status or "-", style=STATUS_STYLE.get(status or "", ""))


def category_path(job: dict[str, Any]) -> str:
    """Industry › parent › category, without repeating a level that has the same name."""
    parts: list[str] = []
    for key in ("industry_name", "parent_category", "category_name"):
        value = job.get(key)
        if value and (not parts or parts[-1] != value):
            parts.append(str(value))
    if not parts and job.get("category"):
        parts.append(str(job["category"]))
    return " › ".join(parts)


def confidence(job: dict[str, Any]) -> str:
    value = job.get("confidence")
    return f"{float(value):.2f}" if isinstance(value, int | float) else ""


def when(iso: Any) -> str:
    """An ISO timestamp shortened to the second (the API sends microseconds and a Z)."""
    return str(iso)[:19].replace("T", " ") if iso else ""


def source_label(job: dict[str, Any]) -> str:
    return str(job.get("original_name") or job.get("url") or "")


_SHORT = {"Status", "%", "Conf.", "Alive", "Accepting", "Maint.", "Queued", "Running", "Done",
          "Failed", "Workers", "CPU"}


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for name in columns:
        # Fold rather than truncate: an id or an error cut with "…" is useless. Short
        # values stay whole so that narrow terminals squeeze the long columns instead.
        table.add_column(name, overflow="fold", no_wrap=name in _SHORT)
    return table


def results_table(jobs: Iterable[dict[str, Any]], labels: dict[str, str] | None = None) -> Table:
    labels = labels or {}
    table = _table("Job", "Source", "Status", "Brand", "Category", "Conf.", "Error",
                   title="Results")
    for job in jobs:
        job_id = str(job.get("job_id", ""))
        table.add_row(job_id, labels.get(job_id) or source_label(job),
                      status_text(job.get("status")), job.get("brand") or "",
                      category_path(job), confidence(job), job.get("error") or "")
    return table


def jobs_table(jobs: Iterable[dict[str, Any]], title: str | None = None) -> Table:
    table = _table("Job", "Status", "Stage", "%", "Source", "Brand", "Category", "Conf.",
                   "Updated", title=title)
    for job in jobs:
        table.add_row(str(job.get("job_id", "")), status_text(job.get("status")),
                      _stage(job), f"{float(job.get('progress') or 0):.0f}",
                      source_label(job), job.get("brand") or "", category_path(job),
                      confidence(job), when(job.get("updated_at")))
    return table


def details_table(job: dict[str, Any], result: dict[str, Any] | None) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows: list[tuple[str, Any]] = [
        ("Job", job.get("job_id")), ("Node", job.get("node")),
        ("Status", status_text(job.get("status"))),
        ("Stage", " — ".join(str(x) for x in (job.get("stage"), job.get("stage_detail")) if x)),
        ("Progress", f"{float(job.get('progress') or 0):.0f}%"),
        ("Mode", job.get("mode")), ("Source", f"{job.get('source_kind') or ''}: "
                                              f"{source_label(job)}"),
        ("Attempts", job.get("attempts")), ("Created", job.get("created_at")),
        ("Updated", job.get("updated_at")), ("Duration", _seconds(job.get("duration_seconds"))),
        ("Brand", job.get("brand")), ("Category", category_path(job)),
        ("Category id", job.get("category_id")), ("Confidence", confidence(job)),
    ]
    if job.get("settings"):
        rows.append(("Settings", ", ".join(f"{k}={v}" for k, v in job["settings"].items()
                                           if v is not None)))
    if result:
        rows += [("Provider", _join(result.get("provider"), result.get("model"))),
                 ("Mapper", _join(result.get("mapper_method"), result.get("raw_category"))),
                 ("Reasoning", result.get("reasoning"))]
    if job.get("error"):
        rows.append(("Error", Text(str(job["error"]), style="red")))
    for key, value in rows:
        if value not in (None, ""):
            table.add_row(key, value if isinstance(value, Text) else str(value))
    return table


def node_views(listed: Any) -> list[dict[str, Any]]:
    """The node views of a `/cluster/nodes` answer: the original's object carries them under
    `node_views`; older servers answered the bare list."""
    if isinstance(listed, dict):
        return list(listed.get("node_views") or [])
    return list(listed)


def accepting(view: dict[str, Any]) -> bool:
    """Whether a node takes new jobs. Not `available` (store answering): a node in maintenance
    is available yet refuses new jobs, and `adclf nodes` said "Accepting yes" for it."""
    if "accepting_new_jobs" in view:
        return bool(view["accepting_new_jobs"])
    return bool(view.get("available")) and not view.get("maintenance")


def nodes_table(nodes: Iterable[dict[str, Any]]) -> Table:
    table = _table("Node", "Alive", "Accepting", "Maint.", "Queued", "Running", "Done",
                   "Failed", "Workers", "CPU", "Address", "Message", title="Nodes")
    for n in nodes:
        cpu = (n.get("resources") or {}).get("CPU")
        table.add_row(str(n.get("node")), _yes(n.get("alive")), _yes(accepting(n)),
                      _yes(n.get("maintenance"), warn=True), str(n.get("queued", 0)),
                      str(n.get("processing", 0)), str(n.get("completed", 0)),
                      str(n.get("failed", 0)), str(n.get("workers", 0)),
                      f"{cpu:g}" if isinstance(cpu, int | float) else "",
                      str(n.get("address") or ""), str(n.get("message") or ""))
    return table


def cleanup_table(reports: Iterable[dict[str, Any]]) -> Table:
    table = _table("Node", "Jobs removed", "Orphan artifacts", "Orphan uploads",
                   title="Cleanup")
    for r in reports:
        table.add_row(str(r.get("node")), str(len(r.get("jobs_removed") or [])),
                      str(len(r.get("orphan_artifacts_removed") or [])),
                      str(len(r.get("orphan_uploads_removed") or [])))
    return table


def _stage(job: dict[str, Any]) -> str:
    stage = str(job.get("stage") or "")
    return "" if stage == job.get("status") else stage


def _yes(value: Any, warn: bool = False) -> Text:
    if value:
        return Text("yes", style="yellow" if warn else "green")
    return Text("no", style="" if warn else "red")


def _seconds(value: Any) -> str | None:
    return f"{float(value):.1f} s" if isinstance(value, int | float) else None


def _join(*values: Any) -> str:
    return " / ".join(str(v) for v in values if v)
