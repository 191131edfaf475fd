"""`python -m adclf.cli` is the same as the `adclf` command."""

from adclf.cli.main import app

app(prog_name="adclf")
