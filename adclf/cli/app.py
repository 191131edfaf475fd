"""The `adclf` Typer application and its global options (server, token, version)."""

from __future__ import annotations

from typing import Annotated

import typer

from adclf import __version__
from adclf.cli.client import DEFAULT_SERVER
from adclf.cli.context import Conn

app = typer.Typer(
    name="adclf",
    help="Command-line client of the adclf video ad classifier service.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"adclf {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    server: Annotated[str, typer.Option(
        "--server", "-s", envvar="ADCLF_SERVER", help="adclf service URL.")] = DEFAULT_SERVER,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="ADCLF_TOKEN", show_default=False,
        help="API token, sent as 'Authorization: Bearer'; never printed.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Submit videos, follow jobs and manage the adclf service over its HTTP API.

    The service address comes from --server or ADCLF_SERVER (default http://127.0.0.1:8000),
    the token from --token or ADCLF_TOKEN."""
    ctx.obj = Conn(server, token or None)
