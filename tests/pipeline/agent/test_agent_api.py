"""Agent mode through the running service (real Ray, Serve, store and worker): refused with 422
on the embedded provider at submit time, and run end to end against the fake Ollama."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes import FakeOllama
from tests.pipeline.agent.scripts import INVESTIGATION
from tests.support import LiveServer
from tests.videos import Scene, make_video

pytestmark = pytest.mark.e2e
NODE = "node-agent"


def test_embedded_provider_answers_422_at_submit_time(live_server: LiveServer,
                                                      sample_ad: Path) -> None:
    with live_server.client() as c:
        before = len(c.get("/jobs", params={"limit": 1000}).json())
        r = c.post("/jobs/by-filepath", json={"mode": "agent", "file_path": str(sample_ad)})
        assert r.status_code == 422, r.text
        assert r.json()["detail"].startswith("agent mode needs an LLM provider")
        r = c.post("/jobs/by-urls", json={"mode": "agent", "urls": ["http://127.0.0.1:9/a.mp4"],
                                          "settings": {"provider": "embedded"}})
        assert r.status_code == 422 and "LLM provider" in r.json()["detail"]
        with sample_ad.open("rb") as fh:
            r = c.post("/jobs/upload", files={"file": ("ad.mp4", fh, "video/mp4")},
                       data={"mode": "agent"})
        assert r.status_code == 422 and "LLM provider" in r.json()["detail"]
        # nothing was created, nothing ran as a pipeline instead
        assert len(c.get("/jobs", params={"limit": 1000}).json()) == before
        # the same request in pipeline mode is accepted (the refusal is about agent mode)
        ok = c.post("/jobs/by-filepath", json={"mode": "pipeline", "file_path": str(sample_ad),
                                                "settings": {"scan_mode": "Express"}})
        assert ok.status_code == 200, ok.text


@dataclass
class AgentApp:
    url: str
    fake: FakeOllama
    roots: Path


@pytest.fixture(scope="module")
def agent_app(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[AgentApp]:
    """A second node on the session's Serve, its provider the fake Ollama (scripted per test)."""
    import ray
    from ray import serve

    from adclf.api.deployment import build_app
    from adclf.store.client import NAMESPACE, store_actor_name
    from adclf.workers.worker import worker_actor_name

    fake = FakeOllama().start()
    settings: dict[str, Any] = {
        "NODE_NAME": NODE, "DATA_DIR": str(tmp_path_factory.mktemp("agent-app")),
        "ALLOWED_FOLDER_ROOTS": [str(live_server.roots)], "WORKERS_PER_NODE": 1,
        "LEASE_SECONDS": 6.0, "HEARTBEAT_SECONDS": 1.0, "MAX_ATTEMPTS": 1,
        "CLEANUP_ENABLED": False, "DEFAULT_PROVIDER": "ollama", "OLLAMA_HOST": fake.host,
        "PROVIDER_RETRIES": 0, "PROVIDER_TIMEOUT": 30.0, "ASR_ENABLED": False,
    }
    serve.run(build_app(settings), name="adclf-agent", route_prefix="/agent")
    url = f"{live_server.url}/agent"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                break
        time.sleep(0.5)
    yield AgentApp(url, fake, live_server.roots)
    fake.stop()
    with contextlib.suppress(Exception):
        serve.delete("adclf-agent")
    for actor in (store_actor_name(NODE), worker_actor_name(NODE, 0)):
        with contextlib.suppress(Exception):
            ray.kill(ray.get_actor(actor, namespace=NAMESPACE))


def _wait(c: httpx.Client, job_id: str, timeout: float = 240.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = c.get(f"/jobs/{job_id}").json()
        if job.get("status") in ("completed", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_agent_job_end_to_end_with_the_fake_ollama(agent_app: AgentApp) -> None:
    video = make_video(agent_app.roots / "agent-e2e.mp4", [
        Scene(4.0, "darkgreen", ["Running shoes", "Feel the road"], font_size=44),
        Scene(2.0, "black", ["NIKE", "nike.com"], font_size=64)], size=(640, 360))
    agent_app.fake.behaviour.script = list(INVESTIGATION)
    with httpx.Client(base_url=agent_app.url, timeout=30) as c:
        r = c.post("/jobs/by-filepath", json={"mode": "agent", "file_path": str(video)})
        assert r.status_code == 200, r.text
        job = _wait(c, r.json()["job_id"])
        assert job["status"] == "completed", job
        assert job["mode"] == "agent"
        result = c.get(f"/jobs/{job['job_id']}/result").json()
        exp = c.get(f"/jobs/{job['job_id']}/explanation").json()
        events = c.get(f"/jobs/{job['job_id']}/events").json()
        art = c.get(f"/jobs/{job['job_id']}/artifacts").json()["artifacts"]
        steps_file = c.get(f"/jobs/{job['job_id']}/artifacts/agent_steps.json")
    flat = result.get("result", [result])[0] if isinstance(result.get("result"), list) \
        else result
    assert "Nike" in json.dumps(flat)
    steps = exp["agent_steps"]
    assert [s["tool"] for s in steps] == ["read_text", "look_at_frame", "lookup_brand",
                                          "final_answer"]
    assert "nike" in steps[0]["summary"].casefold()
    assert exp["agent"]["stop"] == "answered"
    assert any("agent step 1" in json.dumps(e) for e in events.get("entries", events["events"]))
    assert steps_file.status_code == 200 and steps_file.json()["steps"][0]["tool"] == "read_text"
    # the frames the agent looked at are the job's frames
    assert {f["label"] for f in art["latest_frames"]} >= set(steps[1]["frames"])
    chats = agent_app.fake.chat_requests()
    assert len(chats) == 4 and chats[2].images  # the frame went to the model
