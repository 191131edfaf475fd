"""Per-invocation state: where the service is, the token, the two consoles, and error exits."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console

from adclf.cli.client import DEFAULT_SERVER, ApiClient, ApiError
from adclf.cli.sources import SourceError

EXIT_FAILED = 1  # a job failed, or the service refused a request
EXIT_USAGE = 2  # bad local input (Click uses 2 for usage errors too)


@dataclass
class Conn:
    server: str = DEFAULT_SERVER
    token: str | None = None


def conn(ctx: typer.Context, server: str | None, token: str | None) -> Conn:
    """Command-level --server/--token win over the top-level ones (and their env vars)."""
    base = ctx.obj if isinstance(ctx.obj, Conn) else Conn()
    return Conn(server or base.server, token or base.token)


def client(ctx: typer.Context, server: str | None, token: str | None) -> ApiClient:
    c = conn(ctx, server, token)
    return ApiClient(c.server, c.token)


PIPE_WIDTH = 200


def _console(stderr: bool) -> Console:
    # Created per call: the test runner swaps sys.stdout between invocations.
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped into a file or another program: 80 columns would fold every id and error.
        console.width = PIPE_WIDTH
    return console


def out() -> Console:
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    err().print(f"[bold red]error:[/] {message}", markup=True, highlight=False,
                soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Known failures become one red line and an exit code instead of a traceback."""
    try:
        yield
    except ApiError as exc:
        raise fail(_escape(exc.message)) from None
    except SourceError as exc:
        raise fail(_escape(str(exc)), EXIT_USAGE) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise fail(_escape(f"invalid setting {where}: {first['msg']}"), EXIT_USAGE) from None
    except KeyboardInterrupt:
        err().print("interrupted; submitted jobs keep running (see `adclf jobs`)")
        raise typer.Exit(130) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
