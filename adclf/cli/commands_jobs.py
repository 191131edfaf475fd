"""Job commands: submit, watch (jobs or a folder), status, delete, jobs, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from adclf.cli import render
from adclf.cli.app import app
from adclf.cli.client import ApiClient
from adclf.cli.context import (
    EXIT_FAILED,
    client,
    err,
    errors_to_exit,
    fail,
    out,
    print_json,
)
from adclf.cli.download import save
from adclf.cli.options import (
    FormatOpt,
    ModeOpt,
    OcrEngineOpt,
    PriorityOpt,
    ProviderOpt,
    ServerOpt,
    StatusOpt,
    TokenOpt,
    job_settings,
    parse_scan_mode,
)
from adclf.cli.sources import plan_sources
from adclf.cli.submit import submit_plan
from adclf.cli.watch import watch_jobs
from adclf.cli.watch_folder import FolderWatch, run_folder_watch


def _watch_and_report(c: ApiClient, job_ids: list[str], labels: dict[str, str],
                      timeout: float | None) -> int:
    """Watch, print the results table, and return how many jobs failed."""
    final = watch_jobs(c, job_ids, labels, err(), timeout=timeout)
    jobs = [final[j] for j in job_ids if j in final]
    out().print(render.results_table(jobs, labels))
    failed = [j for j in jobs if j.get("status") != "completed"]
    if failed:
        err().print(f"[red]{len(failed)} of {len(jobs)} job(s) failed[/]")
    return len(failed)


@app.command()
def submit(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(
        help="Local video files or folders (uploaded), http(s) URLs, or server paths "
             "with --server-path.", show_default=False)],
    mode: Annotated[ModeOpt, typer.Option(help="Job mode.")] = ModeOpt.pipeline,
    provider: Annotated[ProviderOpt | None, typer.Option(
        help="Classifier provider (default: the server's DEFAULT_PROVIDER).",
        show_default=False)] = None,
    scan_mode: Annotated[str | None, typer.Option(
        "--scan-mode", callback=parse_scan_mode, show_default=False,
        help="Frames to sample: tail, full or express.")] = None,
    ocr_engine: Annotated[OcrEngineOpt | None, typer.Option(
        "--ocr-engine", help="Offline OCR engine.", show_default=False)] = None,
    model: Annotated[str | None, typer.Option(
        help="Model name for the ollama/openai providers.", show_default=False)] = None,
    priority: Annotated[PriorityOpt | None, typer.Option(
        help="Queue priority: high jobs start before normal ones, normal before low "
             "(default: the server's, normal).", show_default=False)] = None,
    watch: Annotated[bool, typer.Option(
        "--watch", "-w", help="Show progress bars until every job is done, then the "
                              "results; exit 1 if any job failed.")] = False,
    server_path: Annotated[bool, typer.Option(
        "--server-path", help="Treat paths as paths on the server (a name with a video "
                              "extension is a file, anything else a folder).")] = False,
    recursive: Annotated[bool, typer.Option(
        "--recursive", "-r", help="Also take videos from sub-folders.")] = False,
    timeout: Annotated[float | None, typer.Option(
        help="With --watch: give up after this many seconds.", show_default=False)] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Submit videos as jobs and print their ids (one per line).

    Local files are uploaded; local folders upload every video in them
    (.mp4 .mov .avi .mkv .webm .m4v); http(s) URLs are fetched by the server."""
    with errors_to_exit():
        settings = job_settings(provider, scan_mode, ocr_engine, model)
        plan = plan_sources(sources, server_path, recursive)
        with client(ctx, server, token) as c:
            done = submit_plan(c, plan, mode.value, settings, recursive, err(),
                               priority.value if priority else None)
            for job_id, _ in done.jobs:
                typer.echo(job_id)
            for message in done.errors:
                err().print(f"[bold red]error:[/] {escape(message)}")
            if not done.jobs:
                raise typer.Exit(EXIT_FAILED)
            err().print(f"submitted {len(done.jobs)} job(s)"
                        + (f", {len(done.errors)} submission(s) failed" if done.errors else ""))
            failed = 0
            if watch:
                failed = _watch_and_report(c, [j for j, _ in done.jobs], done.labels, timeout)
        if failed or done.errors:
            raise typer.Exit(EXIT_FAILED)


@app.command("watch")
def watch_cmd(
    ctx: typer.Context,
    targets: Annotated[list[str] | None, typer.Argument(
        help="Job ids to follow, or one local folder to watch.", show_default=False)] = None,
    folder: Annotated[Path | None, typer.Option(
        "--folder", help="Watch this folder (the same as giving one existing folder).",
        show_default=False)] = None,
    results: Annotated[str, typer.Option(
        help="Folder watch: write results 'next_to' the videos, into a folder PATH, or 'off'.")
    ] = "off",
    server_path: Annotated[bool, typer.Option(
        "--server-path", help="Folder watch: send paths for the server to read instead of "
                              "uploading (the folder must be on the server).")] = False,
    settle: Annotated[float, typer.Option(
        min=0, help="Folder watch: seconds a file's size and time must stay unchanged.")] = 5.0,
    interval: Annotated[float, typer.Option(
        min=0.1, help="Folder watch: seconds between scans.")] = 2.0,
    once: Annotated[bool, typer.Option(
        "--once", help="Folder watch: stop when every file seen is classified.")] = False,
    recursive: Annotated[bool, typer.Option(
        "--recursive/--no-recursive", help="Folder watch: include sub-folders.")] = True,
    mode: Annotated[ModeOpt, typer.Option(help="Folder watch: job mode.")] = ModeOpt.pipeline,
    provider: Annotated[ProviderOpt | None, typer.Option(
        help="Folder watch: classifier provider.", show_default=False)] = None,
    scan_mode: Annotated[str | None, typer.Option(
        "--scan-mode", callback=parse_scan_mode, show_default=False,
        help="Folder watch: frames to sample: tail, full or express.")] = None,
    timeout: Annotated[float | None, typer.Option(
        help="Jobs: give up after this many seconds.", show_default=False)] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Follow jobs until they finish, or watch a folder and classify each new video once.

    `adclf watch ID...` follows jobs with progress bars; exit 1 if any failed.
    `adclf watch DIR` (one existing folder, or --folder DIR) classifies every video that lands
    in DIR once it is complete, once per content (a renamed or copied file is not classified
    again; the ledger is .adclf-watch.jsonl), until Ctrl-C or, with --once, until idle."""
    ids = list(targets or [])
    if folder is None and len(ids) == 1 and Path(ids[0]).is_dir():
        folder, ids = Path(ids[0]), []
    if folder is not None:
        if ids:
            raise fail("give either job ids or one folder, not both", 2)
        if not folder.is_dir():
            raise fail(f"no such folder: {escape(str(folder))}", 2)
        watch = FolderWatch(folder.resolve(), results, server_path, settle, interval,
                            recursive, once, mode.value)
        with errors_to_exit(), client(ctx, server, token) as c:
            try:
                settings = job_settings(provider, scan_mode, None, None)
                failed = run_folder_watch(c, watch, settings, out(), err())
            except ValueError as exc:
                raise fail(escape(str(exc)), 2) from None
        if failed:
            raise typer.Exit(EXIT_FAILED)
        return
    if not ids:
        raise fail("give job ids to follow or a folder to watch", 2)
    with errors_to_exit(), client(ctx, server, token) as c:
        failed = _watch_and_report(c, ids, {}, timeout)
    if failed:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def status(
    ctx: typer.Context,
    job_id: Annotated[str, typer.Argument(help="Job id.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON.")] = False,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """A job's details, its result when completed, and its error when failed."""
    with errors_to_exit(), client(ctx, server, token) as c:
        job = c.get(f"/jobs/{job_id}")
        if as_json:
            print_json(job)
            return
        result = c.get(f"/jobs/{job_id}/result") if job.get("status") == "completed" else None
        out().print(render.details_table(job, result))


@app.command()
def delete(
    ctx: typer.Context,
    job_ids: Annotated[list[str], typer.Argument(help="Job ids.", show_default=False)],
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Delete jobs and their files (running ones are aborted); exit 1 if any was not found."""
    with errors_to_exit(), client(ctx, server, token) as c:
        got = c.post("/jobs/bulk-delete", {"job_ids": job_ids})
    for job_id in got.get("deleted", []):
        typer.echo(f"deleted {job_id}")
    problems = [(j, "not found") for j in got.get("not_found", [])]
    problems += [(j, "its node is unavailable") for j in got.get("unavailable", [])]
    for job_id, why in problems:
        err().print(f"[red]{escape(job_id)}: {why}[/]")
    if problems:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def jobs(
    ctx: typer.Context,
    status: Annotated[StatusOpt | None, typer.Option(
        "--status", help="Only jobs with this status.", show_default=False)] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many (newest first).")] = 20,
    search: Annotated[str | None, typer.Option(
        "--search", "-q", help="Text to look for in ids, sources, brands, categories.",
        show_default=False)] = None,
    all_nodes: Annotated[bool, typer.Option(
        "--all-nodes", help="Every node's jobs (/cluster/jobs), not only the local node's.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON.")] = False,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """List jobs, newest first."""
    params: dict[str, Any] = {"status": status.value if status else None, "limit": limit,
                              "q": search}
    with errors_to_exit(), client(ctx, server, token) as c:
        if all_nodes:
            # A bare array (the original's shape); the page's total and silent nodes are headers.
            response = c.request("GET", "/cluster/jobs",
                                 params={k: v for k, v in params.items() if v is not None})
            listed = response.json()
            total = int(response.headers.get("x-total-count", len(listed)))
            missing = json.loads(response.headers.get("x-unavailable-nodes") or "[]")
            page = {"jobs": listed, "total": total, "unavailable_nodes": missing}
        else:
            listed = c.get("/jobs", **params)
            total, missing = None, []
    if as_json:
        print_json(page if all_nodes else listed)
        return
    title = f"{len(listed)} of {total} jobs" if total is not None else f"{len(listed)} jobs"
    out().print(render.jobs_table(listed, title=title))
    for node in missing:
        err().print(f"[yellow]node {escape(str(node.get('node')))} is unavailable: "
                    f"{escape(str(node.get('reason') or node.get('error') or ''))}[/]")


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[FormatOpt, typer.Option(
        "--format", "-f", help="File format (written by DuckDB on the server).")] = FormatOpt.csv,
    out_file: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output file (default adclf-jobs.<format>; '-' for stdout).",
        show_default=False)] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Export every node's jobs with their results as CSV or Parquet."""
    target = out_file or Path(f"adclf-jobs.{format.value}")
    with errors_to_exit(), client(ctx, server, token) as c:
        chunks = c.download("/jobs/export", {"format": format.value})
        if str(target) == "-":
            stream = typer.get_binary_stream("stdout")
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            return
        size = save(chunks, target)
    err().print(f"wrote {size:,} bytes ({format.value}) to {escape(str(target))}")
