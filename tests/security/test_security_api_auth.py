"""With API_TOKEN set, every route of the OpenAPI schema but /health needs the token.

The routes are read from the running service's own schema, so a route added later is covered
without editing this file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from tests.support import LiveServer

PUBLIC = {("GET", "/health")}
# Values that make each route reachable without side effects on the shared session node:
# an unknown job id, a node that does not exist, an empty JSON body (422 once authenticated).
PATH_VALUES = {"job_id": "node-a-00000000-0000-4000-8000-000000000000",
               "node": "no-such-node", "name": "frame-0001.jpg",
               "set_id": "no-such-set", "suite_id": "no-such-suite", "truth_id": "no-such-truth",
               "batch_id": "no-such-batch"}
# Not in the schema on purpose and public by design: the interactive docs and the schema itself
# (they describe the API, hold no data and no secret) and the dashboard's static files (the page
# asks for the token before it calls the API).
PUBLIC_OUTSIDE_SCHEMA = ["/openapi.json", "/docs", "/redoc", "/"]


def _operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    ops = []
    for path, item in schema["paths"].items():
        for method in item:
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                ops.append((method.upper(), path))
    return sorted(ops)


def _concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"no test value for a path parameter in {path}: add it to PATH_VALUES"
    return path


def _call(client: httpx.Client, method: str, path: str, headers: dict[str, str] | None = None,
          params: dict[str, str] | None = None) -> httpx.Response:
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    with client.stream(method, path, json=body, headers=headers, params=params) as r:
        # An event stream (/admin/logs/stream) never ends by itself: its status is the answer.
        if not r.headers.get("content-type", "").startswith("text/event-stream"):
            r.read()
        return r


@pytest.fixture(scope="module")
def secure_ops(live_server: LiveServer) -> list[tuple[str, str]]:
    schema = httpx.get(f"{live_server.secure_url}/openapi.json", timeout=30).json()
    ops = _operations(schema)
    # The walk must see the routes this suite knows about; an empty or tiny schema would make
    # every later assertion vacuous.
    assert len(ops) >= 25, ops
    assert ("POST", "/jobs/upload") in ops and ("GET", "/jobs/{job_id}/stream") in ops
    return ops


def test_every_route_but_health_needs_the_token(live_server: LiveServer,
                                                secure_ops: list[tuple[str, str]]) -> None:
    wrong = "Bearer " + live_server.token[:-1] + "X"
    checked = 0
    with httpx.Client(base_url=live_server.secure_url, timeout=90) as c:
        for method, path in secure_ops:
            url = _concrete(path)
            if (method, path) in PUBLIC:
                assert _call(c, method, url).status_code == 200
                continue
            failures = []
            for label, headers, params in (
                ("no token", None, None),
                ("wrong bearer", {"Authorization": wrong}, None),
                ("empty bearer", {"Authorization": "Bearer"}, None),
                ("basic auth", {"Authorization": "Basic dGVzdDp0ZXN0"}, None),
                ("wrong ?token=", None, {"token": "nope"}),
                # ?token= is for browser GETs only (EventSource, <img>, <video>)
                ("?token= on a non-GET", None,
                 {"token": live_server.token} if method != "GET" else {"token": "nope"}),
            ):
                r = _call(c, method, url, headers, params)
                if r.status_code != 401 or r.headers.get("www-authenticate") != "Bearer":
                    failures.append(f"{label}: {r.status_code}")
                elif live_server.token in r.text:
                    failures.append(f"{label}: the 401 body shows the token")
            ok = _call(c, method, url, {"Authorization": f"Bearer {live_server.token}"})
            if ok.status_code == 401:
                failures.append(f"right token: {ok.status_code} {ok.text[:200]}")
            if method == "GET":
                q = _call(c, method, url, params={"token": live_server.token})
                if q.status_code == 401:
                    failures.append(f"right ?token= on a GET: {q.status_code}")
            assert not failures, f"{method} {path}: {failures}"
            checked += 1
    assert checked == len(secure_ops) - len(PUBLIC)


def test_the_open_service_is_not_affected_by_the_secure_one(
        live_server: LiveServer, secure_ops: list[tuple[str, str]]) -> None:
    """The same routes without API_TOKEN (the loopback-only default) answer without a token:
    the 401s above come from the token, not from a broken route."""
    with httpx.Client(base_url=live_server.url, timeout=90) as c:
        for method, path in secure_ops:
            if method == "GET" and "{" not in path:
                # Streamed: only the status is read (/admin/logs/stream never ends by itself).
                with c.stream(method, path) as r:
                    assert r.status_code != 401, path


@pytest.mark.parametrize("path", PUBLIC_OUTSIDE_SCHEMA)
def test_docs_schema_and_dashboard_page_are_public(live_server: LiveServer, path: str) -> None:
    r = httpx.get(f"{live_server.secure_url}{path}", timeout=30)
    assert r.status_code == 200
    assert live_server.token not in r.text


def test_token_compare_is_exact(live_server: LiveServer) -> None:
    """Prefixes, suffixes, case changes and padding of the real token are all refused."""
    t = live_server.token
    with httpx.Client(base_url=live_server.secure_url, timeout=30) as c:
        for bad in (t[:-1], t + "x", t.upper(), f" {t}x", t[1:], "Bearer", t * 2):
            r = c.get("/metrics", headers={"Authorization": f"Bearer {bad}"})
            assert r.status_code == 401, bad
        assert c.get("/metrics", headers={"Authorization": f"Bearer {t}"}).status_code == 200
        assert c.get("/metrics", headers={"Authorization": f"bearer {t}"}).status_code == 200
