"""schemathesis against the running service's own OpenAPI schema, on loopback, bounded in time:
0 server errors (5xx) and 0 responses that contradict the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.security.conftest import ExtraApps

ST = Path(sys.executable).with_name("schemathesis")
# What "0 server errors, 0 schema violations" means, as schemathesis checks.
# Not run: positive_data_acceptance / negative_data_rejection (the schema cannot express every
# server-side rule: a syntactically valid URL to 127.0.0.1 is a documented 403, an absolute path
# outside the roots a documented 403), use_after_free / ensure_resource_availability (stateful
# phase, not run) and ignored_auth (the fuzzed app has no token; test_security_api_auth.py
# covers auth).
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance,response_headers_conformance")
MAINTENANCE = "^(/cluster/nodes/\\{node\\}/maintenance|/admin/node/maintenance)$"


def _run(schema_url: str, *extra: str, max_time: int) -> subprocess.CompletedProcess[str]:
    # One worker: with two threads, hypothesis' ast.parse of filter lambdas races inside
    # CPython 3.11 ("SystemError: AST constructor recursion depth mismatch"), and schemathesis
    # then fails the run with a Runtime Error although every case passed (seen in CI runs).
    cmd = [str(ST), "run", schema_url, "--checks", CHECKS, "--phases",
           "examples,coverage,fuzzing", "--max-examples", "15", "--max-time", str(max_time),
           "--workers", "1", "--request-timeout", "30", "--seed", "20261124",
           "--suppress-health-check", "all", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=max_time + 60)


def test_schemathesis_finds_no_server_errors_and_no_schema_violations(
        extra_apps: ExtraApps) -> None:
    schema_url = f"{extra_apps.fuzz.url}/openapi.json"
    # Every operation is fuzzed. Maintenance goes last, in its own run, because a node in
    # maintenance makes job submissions answer 503 ("all nodes are in maintenance"), a 5xx the
    # first run would then report against unrelated routes.
    main = _run(schema_url, "--exclude-path-regex", MAINTENANCE, max_time=50)
    assert main.returncode == 0, main.stdout[-6000:] + main.stderr[-2000:]
    last = _run(schema_url, "--include-path-regex", MAINTENANCE, max_time=10)
    assert last.returncode == 0, last.stdout[-6000:] + last.stderr[-2000:]
    for run in (main, last):  # shown with `pytest -s`: the numbers docs/security.md quotes
        print(*[ln.strip() for ln in run.stdout.splitlines() if "generated" in ln or
                "Tested:" in ln], sep="\n")
    tested = [line for line in main.stdout.splitlines() if "Tested:" in line]
    assert tested and int(tested[0].split()[-1]) >= 25, main.stdout[-3000:]
