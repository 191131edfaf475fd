"""`adclf batch`: a batch run on the service's Ray cluster (POST /batches), followed with a
progress bar, its results downloaded to --out. Running the same command again resumes the batch:
the service skips the inputs it already completed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from adclf.cli.app import app
from adclf.cli.client import ApiClient
from adclf.cli.context import EXIT_FAILED, client, err, errors_to_exit, fail, print_json
from adclf.cli.download import save
from adclf.cli.options import (
    ModeOpt,
    OcrEngineOpt,
    ProviderOpt,
    ServerOpt,
    TokenOpt,
    job_settings,
    parse_scan_mode,
)

POLL_SECONDS = 1.0


@app.command()
def batch(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Argument(
        help="On the server: a folder (recursive), a manifest (.txt/.csv of paths or URLs) or a "
             "glob (quote it), under ALLOWED_FOLDER_ROOTS.", show_default=False)] = None,
    out_file: Annotated[Path, typer.Option(
        "--out", "-o", help="Where to save the results (.parquet or .csv).")] = Path(
        "results.parquet"),
    inputs_file: Annotated[Path | None, typer.Option(
        "--inputs", help="A local file of server paths or URLs, one a line, sent as the batch's "
                         "inputs instead of SOURCE.", show_default=False)] = None,
    concurrency: Annotated[int | None, typer.Option(
        help="Classify actors (default: one per CPU of the cluster).", show_default=False)
    ] = None,
    mode: Annotated[ModeOpt, typer.Option(help="pipeline or agent.")] = ModeOpt.pipeline,
    provider: Annotated[ProviderOpt | None, typer.Option(show_default=False)] = None,
    scan_mode: Annotated[str | None, typer.Option(show_default=False)] = None,
    ocr_engine: Annotated[OcrEngineOpt | None, typer.Option(show_default=False)] = None,
    model: Annotated[str | None, typer.Option(show_default=False)] = None,
    no_wait: Annotated[bool, typer.Option(
        "--no-wait", help="Start the batch, print it and exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the final batch as JSON.")
                       ] = False,
    timeout: Annotated[float | None, typer.Option(
        help="Give up waiting after this many seconds.", show_default=False)] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Classify a whole archive on Ray Data; progress: done/total, ads/min, ETA, failures."""
    body: dict[str, Any] = {"mode": mode.value, "settings": job_settings(
        provider, parse_scan_mode(scan_mode), ocr_engine, model)}
    if inputs_file is not None:
        lines = inputs_file.read_text(encoding="utf-8").splitlines()
        body["inputs"] = [v.strip() for v in lines if v.strip() and not v.startswith("#")]
    if bool(source) == (inputs_file is not None):
        raise fail("give SOURCE or --inputs FILE (one of them)")
    if source:
        body["source"] = source
    if concurrency:
        body["concurrency"] = concurrency
    with errors_to_exit(), client(ctx, server, token) as c:
        started = c.post("/batches", body)
        bid = started["batch_id"]
        err().print(f"batch {escape(bid)}: {escape(str(started['status']))} "
                    f"({started['progress'].get('total', 0)} inputs, run {started.get('runs')})")
        if no_wait:
            print_json(started)
            return
        final = follow(c, bid, timeout)
        if final["status"] != "completed":
            raise fail(f"batch {bid} {final['status']}: {final.get('error') or ''}")
        fmt = "csv" if out_file.suffix.lower() == ".csv" else "parquet"
        size = save(c.download(f"/batches/{bid}/results", {"format": fmt}), out_file)
    p = final["progress"]
    err().print(f"wrote {p['total']} rows ({size:,} bytes, {fmt}) to {escape(str(out_file))}: "
                f"{p['total'] - p['failed']} completed, {p['failed']} failed, "
                f"{p['skipped']} from an earlier run")
    if as_json:
        print_json(final)
    if p["failed"]:
        raise typer.Exit(EXIT_FAILED)


def follow(c: ApiClient, bid: str, timeout: float | None) -> dict[str, Any]:
    """Poll the batch until it ends, drawing done/total, ads/min, ETA and failures."""
    deadline = None if timeout is None else time.monotonic() + timeout
    columns = (TextColumn("batch"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[detail]}"))
    with Progress(*columns, console=err(), transient=False) as bar:
        task = bar.add_task("batch", total=None, detail="starting")
        while True:
            got = c.get(f"/batches/{bid}")
            p = got["progress"]
            bar.update(task, total=p.get("total") or None, completed=p.get("completed", 0),
                       detail=describe(p))
            if got["status"] not in ("queued", "running"):
                return dict(got)
            if deadline is not None and time.monotonic() > deadline:
                raise fail(f"batch {bid} still {got['status']} after {timeout:.0f} s")
            time.sleep(POLL_SECONDS)


def describe(p: dict[str, Any]) -> str:
    eta = p.get("eta_seconds")
    eta_s = "-" if eta is None else f"{int(eta) // 60}m{int(eta) % 60:02d}s"
    return f"{p.get('ads_per_minute', 0.0):.1f} ads/min · ETA {eta_s} · {p.get('failed', 0)} failed"
