"""serve_config.gpu.yaml on a real local Ray: adclf's app and the LLM application side by side, the
LLM replaced by a stand-in speaking the same OpenAI wire format on the same route prefix
(stand_in_llm.py; vLLM needs a GPU). A job submitted with no provider uses the config's default,
the OpenAI-compatible provider, and completes through the LLM application's route.

Runs its Serve in a subprocess (serve_driver.py): the session Ray of tests/conftest.py already
holds adclf's workers, made with the session's settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from support import free_port
from videos import simple_ad

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("serve_driver.py")
STAND_IN = "tests.deploy.stand_in_llm:build_openai_app"


def gpu_config_for_test(port: int, data: Path, roots: Path) -> dict[str, Any]:
    """serve_config.gpu.yaml as committed, but for: a free port, tmp dirs, one worker, and the
    stand-in's import_path. OPENAI_BASE_URL keeps its path; only the port follows http_options."""
    config = yaml.safe_load((ROOT / "serve_config.gpu.yaml").read_text())
    committed_port = config["http_options"]["port"]
    config["http_options"]["port"] = port
    apps = {a["name"]: a for a in config["applications"]}
    args = apps["adclf"]["args"]
    args["OPENAI_BASE_URL"] = args["OPENAI_BASE_URL"].replace(f":{committed_port}/", f":{port}/")
    args.update(DATA_DIR=str(data), ALLOWED_FOLDER_ROOTS=[str(roots)], WORKERS_PER_NODE=1,
                CLEANUP_ENABLED=False)
    apps["llm"]["import_path"] = STAND_IN
    apps["llm"]["args"]["stand_in"] = {"brands": {"Kestrel": "Running Shoes"}}
    return config


@pytest.fixture(scope="module")
def gpu_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    base = tmp_path_factory.mktemp("gpu-config")
    roots, data = base / "roots", base / "data"
    roots.mkdir()
    simple_ad(roots / "ad.mp4", brand="Kestrel", product="Trail shoes", domain="kestrel.com",
              seconds=5.0)
    port = free_port()
    config_file, ready = base / "serve_config.test.yaml", base / "ready.json"
    config_file.write_text(yaml.safe_dump(gpu_config_for_test(port, data, roots)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="disabled",
               PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    log = (base / "driver.log").open("wb")
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(config_file), str(ready)],
                            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        url = _wait_ready(proc, ready, base / "driver.log")
        yield url, roots
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], ready: Path, log: Path) -> str:
    # About 30 s on an idle 2-core machine; the margin is for a loaded one.
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if ready.exists():
            url = str(json.loads(ready.read_text())["url"])
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    return url
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    raise AssertionError(f"Serve did not come up: {log.read_text(errors='replace')[-3000:]}")


def test_llm_route_answers_openai_models(gpu_stack: tuple[str, Path]) -> None:
    url, _ = gpu_stack
    models = httpx.get(f"{url}/llm/v1/models", timeout=10).json()
    assert [m["id"] for m in models["data"]] == ["qwen3-vl-8b-instruct"]


def test_job_with_default_provider_completes_through_the_llm_app(
        gpu_stack: tuple[str, Path]) -> None:
    url, roots = gpu_stack
    with httpx.Client(base_url=url, timeout=30) as c:
        r = c.post("/jobs/by-filepath", json={"file_path": str(roots / "ad.mp4")})
        assert r.status_code == 200, r.text
        job_id = r.json()["job_id"]
        deadline = time.monotonic() + 90
        job: dict[str, Any] = {}
        while time.monotonic() < deadline:
            job = c.get(f"/jobs/{job_id}").json()
            if job["status"] in ("completed", "failed"):
                break
            time.sleep(0.5)
        assert job["status"] == "completed", job
        assert job["brand"] == "Kestrel"
        explanation = c.get(f"/jobs/{job_id}/explanation").json()
        seen = c.get("/llm/stand-in/requests").json()
    chats = [s for s in seen if s["path"] == "/v1/chat/completions"]
    assert chats and all(s["status"] == 200 for s in chats), seen
    assert chats[0]["model"] == "qwen3-vl-8b-instruct"
    assert "kestrel" in chats[0]["text"].lower()  # the ad's OCR text reached the VLM
    assert chats[0]["images"] and chats[0]["images"][0]["format"] == "JPEG"
    assert '"provider": "openai"' in json.dumps(explanation)  # the config's DEFAULT_PROVIDER
