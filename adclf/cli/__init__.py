"""`adclf` command-line client (Typer + Rich over the service's HTTP API)."""

from adclf.cli.main import app

__all__ = ["app"]
