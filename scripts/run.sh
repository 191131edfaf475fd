#!/usr/bin/env bash
# `make run`: serve the app in the foreground. With RAY_ADDRESS set (e.g. `auto` after
# `ray start --head`), it joins that cluster; otherwise it starts a fresh local Ray, so a stale
# /tmp/ray/ray_current_cluster from a crashed session can never capture it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/serve run --address "${RAY_ADDRESS:-local}" serve_config.yaml "$@"
