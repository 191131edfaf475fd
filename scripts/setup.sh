#!/usr/bin/env bash
# Idempotent setup: Debian packages, a .venv with the CPU torch first, the project, the frontend.
# Usage: scripts/setup.sh [--test]   (--test also installs what the test suite needs: chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

apt_pkgs=()
command -v ffmpeg >/dev/null || apt_pkgs+=(ffmpeg)
command -v tesseract >/dev/null || apt_pkgs+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || apt_pkgs+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || apt_pkgs+=(fonts-liberation)
if [ "$want_test" = 1 ]; then
  command -v chromium >/dev/null || apt_pkgs+=(chromium)
  # benchmarks/devset: voice-overs, logo rasterising, nature photographs for footage scenes
  command -v espeak-ng >/dev/null || apt_pkgs+=(espeak-ng)
  command -v rsvg-convert >/dev/null || apt_pkgs+=(librsvg2-bin)
  [ -d /usr/share/backgrounds/mate/nature ] || apt_pkgs+=(mate-backgrounds)
fi
# The three installers (apt, pip, npm) do not depend on each other: they run side by side, each
# with its own log, printed when it ends (a fresh CI machine spent ~5.5 min here one after another).
SECONDS=0
bg_pids=(); bg_names=(); bg_logs=()
bg() {  # bg NAME COMMAND...
  local log; log=$(mktemp)
  ( set -euo pipefail; "${@:2}" ) >"$log" 2>&1 &
  bg_pids+=($!); bg_names+=("$1"); bg_logs+=("$log")
}
wait_bg() {
  local i failed=0
  for i in "${!bg_pids[@]}"; do
    if wait "${bg_pids[$i]}"; then
      grep -v "^WARNING: Location" "${bg_logs[$i]}" || true
      echo "setup: ${bg_names[$i]} done (${SECONDS} s)"
    else
      cat "${bg_logs[$i]}"; echo "setup: ${bg_names[$i]} FAILED"; failed=1
    fi
    rm -f "${bg_logs[$i]}"
  done
  bg_pids=(); bg_names=(); bg_logs=()
  [ "$failed" = 0 ] || exit 1
}

install_apt() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${apt_pkgs[*]}"
  bg "Debian packages" install_apt "${apt_pkgs[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.adclf-installed
hash=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
install_python() {
  .venv/bin/pip install -q --upgrade pip
  # The CPU build first: anything that wants torch then finds it satisfied (no CUDA download).
  .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -e ".[dev,bench]"
  echo "$hash" > "$stamp"
}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "setup: installing Python packages into .venv"
  bg "Python packages" install_python
fi

install_frontend() {
  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    echo "setup: npm ci (frontend)"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f adclf/static/index.html ] || [ -n "$(find frontend/src frontend/index.html -newer adclf/static/index.html 2>/dev/null | head -1)" ]; then
    echo "setup: building the dashboard"
    (cd frontend && npm run build --silent)
  fi
}
[ -f frontend/package.json ] && bg "frontend" install_frontend
si=third_party/simple-icons
install_logo_sources() {
  if [ ! -d $si/node_modules/simple-icons ] || [ $si/package-lock.json -nt $si/node_modules/.package-lock.json ]; then
    echo "setup: npm ci (logo sources)"
    (cd $si && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
[ -f $si/package.json ] && bg "logo sources" install_logo_sources
wait_bg

# Logo gallery: the Simple Icons collection (npm, CC0-1.0) rasterised into adclf's silhouettes.
if [ -f $si/package.json ]; then
  .venv/bin/python -m adclf.pipeline.logos.build  # does nothing when the gallery is current
fi
# Word frequencies (wordfreq, English and French) as one table every process maps (adclf/lexicon).
.venv/bin/python -m adclf.lexicon.build  # does nothing when the table is current
# ONNX exports of the embedded MiniLM and EfficientNet-Lite0, from their packages' weights
# (adclf/pipeline/embedded/export.py): CPU processes run them without torch.
.venv/bin/python -m adclf.pipeline.embedded.export  # does nothing when the exports are current
echo "setup: done (${SECONDS} s)"
