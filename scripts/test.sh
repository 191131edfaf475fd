#!/usr/bin/env bash
# The whole test suite: lint, types, Python tests (Ray, DuckDB, ffmpeg, Serve, Chromium), frontend.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
status=0
echo "== ruff"; ruff check adclf tests benchmarks || status=1
echo "== mypy"; mypy adclf || status=1
if [ -f frontend/package.json ]; then
  echo "== frontend (vitest)"; (cd frontend && npm test --silent) || status=1
fi
echo "== pytest"
python -m pytest -q -p no:cacheprovider "$@" || status=$?
exit $status
