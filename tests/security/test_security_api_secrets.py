"""Credentials in URLs and secrets in settings never come back out of the API."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tests.security.conftest import (
    GUARDED_TOKEN,
    HOSTILE_TOKEN,
    OLLAMA_SECRET,
    OPENAI_SECRET,
)

if TYPE_CHECKING:
    from tests.security.conftest import CountingServer, ExtraApps
    from tests.support import LiveServer

URL_SECRETS = ["S3cr3t-pw", "tok-LEAK-1", "sig-LEAK-2", "sig-LEAK-3", "key-LEAK-4"]


def _secret_url(base: str) -> str:
    host = base.removeprefix("http://")
    return (f"http://alice:{URL_SECRETS[0]}@{host}/page.html?token={URL_SECRETS[1]}"
            f"&X-Amz-Signature={URL_SECRETS[2]}&sig={URL_SECRETS[3]}&api_key={URL_SECRETS[4]}"
            "&w=640")


def _leaks(text: str | bytes, secrets: list[str]) -> list[str]:
    data = text if isinstance(text, bytes) else text.encode()
    return [s for s in secrets if s.encode() in data]


def test_url_credentials_never_appear_in_job_views(live_server: LiveServer,
                                                   target: CountingServer) -> None:
    with live_server.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [_secret_url(target.base)]})
        assert r.status_code == 200, r.text
        assert not _leaks(r.text, URL_SECRETS)
        job_id = r.json()[0]["job_id"]
        job = live_server.wait_job(job_id)
        assert job["status"] == "failed" and "not a video" in job["error"]
        assert target.hits == 1  # the job did run, with its credentials, against the target
        assert "w=640" in job["url"] and "alice" not in job["url"]
        views = {}
        for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/events", f"/jobs/{job_id}/stream",
                     f"/jobs/{job_id}/result", f"/jobs/{job_id}/explanation",
                     f"/jobs/{job_id}/artifacts", "/jobs", "/cluster/jobs",
                     "/admin/jobs", "/cluster/analytics", "/metrics",
                     "/jobs/export?format=csv", "/jobs/export?format=parquet"):
            got = c.get(path)
            assert got.status_code == 200, (path, got.status_code)
            views[path] = _leaks(got.content, URL_SECRETS)
        c.delete(f"/jobs/{job_id}")
    assert not any(views.values()), {p: s for p, s in views.items() if s}


def test_refusals_do_not_echo_url_credentials(extra_apps: ExtraApps) -> None:
    app = extra_apps.hostile
    with app.client() as c:
        for url in (_secret_url("127.0.0.1:8"), _secret_url("[::1]:8"),
                    _secret_url("localhost:8"), _secret_url("10.1.2.3"),
                    _secret_url("bad host") , "ftp" + _secret_url("x.example")[4:]):
            r = c.post("/jobs/by-urls", json={"urls": [url]})
            assert r.status_code in (400, 403), url
            assert not _leaks(r.text, URL_SECRETS), (url, r.text)


def _path_values(job_id: str) -> dict[str, str]:
    return {"job_id": job_id, "node": "node-g", "name": "frame-0001.jpg"}


def _read_bounded(client: httpx.Client, url: str, streamed: bool,
                  budget_s: float = 3.0) -> tuple[int, httpx.Headers, bytes]:
    """GET `url`. An event stream (/admin/logs/stream) never ends by itself, so its body is what
    arrives within `budget_s`: a short read timeout ends a silent one."""
    if not streamed:
        got = client.get(url)
        return got.status_code, got.headers, got.content
    body = b""
    with client.stream("GET", url, timeout=httpx.Timeout(90, read=budget_s)) as r:
        started = time.monotonic()
        try:
            for chunk in r.iter_bytes():
                body += chunk
                if time.monotonic() - started > budget_s:
                    break
        except httpx.ReadTimeout:
            pass
        return r.status_code, r.headers, body


def test_server_secrets_never_appear_in_any_response(extra_apps: ExtraApps,
                                                     target: CountingServer) -> None:
    """`/guarded` runs with OPENAI_API_KEY and an OLLAMA_HOST with a password: call every GET
    route of its schema (and the public pages) and look for them in bodies and headers."""
    app = extra_apps.guarded
    secrets = [OPENAI_SECRET, OLLAMA_SECRET, app.token]
    with app.client(timeout=90) as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/page.html"]})
        job_id = r.json()[0]["job_id"]
        app.wait_job(job_id)
        schema: dict[str, Any] = c.get("/openapi.json").json()
        seen: dict[str, list[str]] = {}
        calls = 0
        for path, item in schema["paths"].items():
            if "get" not in item:
                continue
            url = path
            for k, v in _path_values(job_id).items():
                url = url.replace("{" + k + "}", v)
            streamed = "text/event-stream" in json.dumps(item["get"].get("responses", {}))
            status, headers, body = _read_bounded(c, url, streamed)
            assert status < 500, (url, status)
            calls += 1
            head = "\n".join(f"{k}: {v}" for k, v in headers.items())
            seen[path] = _leaks(body, secrets) + _leaks(head, secrets)
        for path in ("/openapi.json", "/docs", "/"):
            seen[path] = _leaks(httpx.get(app.url + path, timeout=30).content, secrets)
    assert calls >= 15
    assert not any(seen.values()), {p: s for p, s in seen.items() if s}


def _ray_logs() -> list[Path]:
    import ray

    node = ray._private.worker._global_node  # the session's own log folder (no public API)
    assert node is not None, "Ray is not initialised"
    return [p for p in Path(node.get_logs_dir_path()).rglob("*") if p.is_file()]


def test_secrets_never_reach_the_logs(live_server: LiveServer, extra_apps: ExtraApps,
                                      target: CountingServer) -> None:
    """Every log file of this Ray session (Serve proxy and replicas, workers, job stores) after
    the jobs above ran with credentials in their URLs and tokens were sent as `?token=`."""
    with live_server.client() as c:
        job = c.post("/jobs/by-urls", json={"urls": [_secret_url(target.base)]}).json()[0]
        live_server.wait_job(job["job_id"])
        c.delete(f"/jobs/{job['job_id']}")
    httpx.get(f"{live_server.secure_url}/metrics", params={"token": live_server.token},
              timeout=30)
    secrets = [*URL_SECRETS, OPENAI_SECRET, OLLAMA_SECRET, live_server.token, HOSTILE_TOKEN,
               GUARDED_TOKEN]
    files = _ray_logs()
    assert any("replica_adclf" in p.name for p in files), "no Serve replica log found"
    found = {str(p): hit for p in files if (hit := _leaks(p.read_bytes(), secrets))}
    assert not found, found


def test_start_up_says_when_authentication_is_off(live_server: LiveServer) -> None:
    """The session app runs without API_TOKEN: its ingress warns at start-up (Ray keeps the
    replica's stderr in a worker-*.err file of the session)."""
    warned = [p for p in _ray_logs() if p.suffix == ".err"
              and b"API_TOKEN is not set: authentication is disabled" in p.read_bytes()]
    assert warned
    assert b"loopback" in warned[0].read_bytes()
