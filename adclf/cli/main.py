"""The `adclf` command: an HTTP client of the adclf service.

The application and its global options are in `app.py`; each module of commands registers its
commands on it when imported."""

from __future__ import annotations

from adclf.cli import (  # noqa: F401 - registers the commands
    commands_batch,
    commands_jobs,
    commands_service,
)
from adclf.cli.app import app
from adclf.cli.mcp import mcp

app.command("mcp")(mcp)

__all__ = ["app"]
