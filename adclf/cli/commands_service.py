"""Service commands: cleanup, nodes, maintenance, health."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from adclf.cli import render
from adclf.cli.app import app
from adclf.cli.context import (
    client,
    errors_to_exit,
    fail,
    out,
    print_json,
)
from adclf.cli.options import (
    ServerOpt,
    TokenOpt,
)


@app.command()
def cleanup(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON.")] = False,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Run the TTL cleanup once on every live node and print what it removed."""
    with errors_to_exit(), client(ctx, server, token) as c:
        reports = c.post("/admin/cleanup")
    if as_json:
        print_json(reports)
        return
    console = out()
    console.print(render.cleanup_table(reports))
    for r in reports:
        for key, what in (("jobs_removed", "job"), ("orphan_artifacts_removed", "artifacts"),
                          ("orphan_uploads_removed", "upload")):
            for name in r.get(key) or []:
                console.print(f"{escape(str(r.get('node')))}: removed {what} {escape(str(name))}")


@app.command()
def nodes(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the raw JSON.")] = False,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Every adclf node: alive, accepting jobs, maintenance, queue and workers."""
    with errors_to_exit(), client(ctx, server, token) as c:
        listed = c.get("/cluster/nodes")
    if as_json:
        print_json(listed)
    else:
        out().print(render.nodes_table(render.node_views(listed)))


@app.command()
def maintenance(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="Node name (see `adclf nodes`).",
                                        show_default=False)],
    state: Annotated[str, typer.Argument(help="on or off.", show_default=False)],
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Put a node in maintenance (it finishes its jobs but takes no new ones) or back."""
    flag = state.strip().lower()
    if flag not in ("on", "off"):
        raise fail(f"the state must be 'on' or 'off', not {escape(state)!r}", 2)
    with errors_to_exit(), client(ctx, server, token) as c:
        view = c.post(f"/cluster/nodes/{node}/maintenance", {"enabled": flag == "on"})
    out().print(render.nodes_table([view]))


@app.command()
def health(
    ctx: typer.Context,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Check that the service and its node's job store answer (exit 1 if degraded)."""
    with errors_to_exit(), client(ctx, server, token) as c:
        got = c.get("/health")
    out().print(f"{got.get('status')} · node {got.get('node')} · db {got.get('db')} · "
                f"{got.get('nodes_alive')} node(s) alive")
