# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export RAY_USAGE_STATS_ENABLED ?= 0
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false
export ORT_DISABLE_TELEMETRY ?= 1
# Token auth of the Ray cluster itself (dashboard/GCS), not of adclf's API: see README "Ray security".
export RAY_AUTH_MODE ?= disabled

.PHONY: setup setup-test run test lint typecheck bench openapi clean

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --test

run: setup
	@bash scripts/run.sh

test: setup-test
	@bash scripts/test.sh

lint:
	$(VENV)/bin/ruff check adclf tests benchmarks
	$(VENV)/bin/mypy adclf

bench: setup
	$(PY) benchmarks/store.py
	$(PY) benchmarks/api.py
	$(PY) -m benchmarks.pipeline
	$(PY) -m benchmarks.devset.generate
	$(PY) -m benchmarks.quality --split all
	$(PY) -m benchmarks.cluster
	$(PY) -m benchmarks.latency
	$(PY) -m benchmarks.micro

openapi: setup
	$(PY) -m adclf.api.openapi > frontend/openapi.json

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
