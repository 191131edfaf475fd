"""The token: taken from --token or ADCLF_TOKEN, sent as a Bearer header, never printed."""
# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from cli_support import Run, cli  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def test_without_token_the_401_says_set_adclf_token(live_server: LiveServer, cli: Run) -> None:
    for args in (("jobs",), ("nodes",), ("status", "node-a-x")):
        result = cli(*args, server=live_server.secure_url)
        assert result.exit_code == 1, result.output
        flat = result.stderr.replace("\n", " ")
        assert "401" in flat and "set ADCLF_TOKEN" in flat, flat


def test_token_from_option_or_env_works_and_is_never_printed(
        live_server: LiveServer, sample_ad: Path, cli: Run) -> None:
    token = live_server.token
    by_option = cli("--token", token, "nodes", server=live_server.secure_url)
    assert by_option.exit_code == 0, by_option.output
    assert "node-a" in by_option.stdout
    by_env = cli("jobs", server=live_server.secure_url, env={"ADCLF_TOKEN": token})
    assert by_env.exit_code == 0, by_env.output
    # Per-command options, and the server from the environment too.
    per_command = cli("submit", "--server-path", str(sample_ad), "--token", token,
                      env={"ADCLF_SERVER": live_server.secure_url})
    assert per_command.exit_code == 0, per_command.output
    job_id = per_command.stdout.strip()
    status = cli("status", job_id, "--token", token, server=live_server.secure_url)
    assert status.exit_code == 0 and job_id in status.stdout
    httpx.delete(f"{live_server.secure_url}/jobs/{job_id}",
                 headers={"Authorization": f"Bearer {token}"})
    wrong = cli("jobs", "--token", "not-the-token", server=live_server.secure_url)
    assert wrong.exit_code == 1 and "rejected" in wrong.stderr
    helped = cli("--help", env={"ADCLF_TOKEN": token})
    for result in (by_option, by_env, per_command, status, wrong, helped):
        assert token not in result.output
    assert "not-the-token" not in wrong.output


def test_installed_command_and_module_entry_points(live_server: LiveServer) -> None:
    """The `adclf` console script from pyproject.toml and `python -m adclf.cli` both run."""
    script = Path(sys.executable).parent / "adclf"
    assert script.exists(), "the project is not installed in this venv (pip install -e .)"
    env = {**os.environ, "ADCLF_SERVER": live_server.secure_url, "ADCLF_TOKEN": live_server.token}
    for argv in ([str(script), "nodes"], [sys.executable, "-m", "adclf.cli", "nodes"]):
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "node-a" in done.stdout and live_server.token not in done.stdout + done.stderr
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                             timeout=60)
    assert version.stdout.startswith("adclf ")
