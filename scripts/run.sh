#!/usr/bin/env bash
# `make run`: serve the app in the foreground. With RAY_ADDRESS set (e.g. `auto` after
# `ray start --head`), it joins that cluster; otherwise it starts a fresh local Ray, so a stale
# /tmp/ray/ray_current_cluster from a crashed session can never capture it.
#
# ADCLF_DIRECT_PORT (default 8001; empty to turn off): the ingress replica also answers on its
# own HTTP port (Ray Serve direct ingress), one process hop shorter than the Serve proxy on 8000
# (docs/operations.md "Latency"). A second replica on the same node takes the next port. Ray reads
# these variables when it starts, so they only apply to the Ray this command starts.
# RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S (default here 2; Ray's is 30): how long the
# replica keeps its port open on shutdown for a load balancer to notice. The Ray this command
# starts has none in front of it, and at 30 Ctrl-C took 33 s to give the terminal back.
#
# RAY_worker_niceness (default here 0; Ray's own default is 15): the niceness of every Ray worker
# process. adclf lowers its compute threads itself (WORKER_NICE), so at 0 the ingress and the
# job store take the cores from them first: GET /jobs/{id} p50 on a busy 2-core box went from
# 10.6-11.1 to 7.9-9.1 ms on the direct port (docs/latency.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${RAY_ADDRESS:-local}" = "local" ]; then
  export RAY_worker_niceness="${RAY_worker_niceness:-0}"
fi
direct="${ADCLF_DIRECT_PORT-8001}"
if [ -n "$direct" ] && [ "${RAY_ADDRESS:-local}" = "local" ]; then
  export RAY_SERVE_ENABLE_DIRECT_INGRESS=1 \
    RAY_SERVE_DIRECT_INGRESS_MIN_HTTP_PORT="$direct" \
    RAY_SERVE_DIRECT_INGRESS_MAX_HTTP_PORT="$((direct + 15))" \
    RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S="${RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S:-2}"
fi
exec .venv/bin/serve run --address "${RAY_ADDRESS:-local}" serve_config.yaml "$@"
