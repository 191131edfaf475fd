#!/usr/bin/env bash
# The whole test suite: lint, types, frontend unit tests, Python tests on a real single-node Ray +
# Serve (incl. Chromium end-to-end), then the multi-node tests in their own process (one Ray
# connection per process).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export RAY_USAGE_STATS_ENABLED=0 RAY_AUTH_MODE=disabled HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
  TOKENIZERS_PARALLELISM=false
status=0
SECONDS=0
step() { echo; echo "== $* (at ${SECONDS} s)"; }
step "ruff";  ruff check adclf tests benchmarks || status=1
# mypy (single-threaded, ~85 s without a cache) checks beside the frontend's steps; its output
# is printed after them.
mypy_log=$(mktemp)
mypy adclf >"$mypy_log" 2>&1 &
mypy_pid=$!
step "import contracts (import-linter)"; lint-imports --no-logo || status=1
if [ -f frontend/package.json ]; then
  step "frontend unit tests (vitest)"; (cd frontend && npm test --silent) || status=1
  step "frontend lint (eslint)"; (cd frontend && npm run lint --silent) || status=1
fi
step "mypy (started with import contracts)"
wait "$mypy_pid" || status=1
cat "$mypy_log"; rm -f "$mypy_log"
step "pytest (single node)"
python -m pytest -q --durations=40 --ignore=tests/cluster "$@" || status=1
if [ -d tests/cluster ]; then
  step "pytest (multi-node cluster)"
  python -m pytest -q --durations=10 tests/cluster || status=1
fi
echo; echo "== done in ${SECONDS} s"
exit $status
