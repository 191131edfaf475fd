"""The MCP server at /mcp (streamable HTTP) through the SDK's own client, against the real Serve
app: what it offers, a real video submitted by path and read back, and the API token."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from mcp_support import PROMPTS, TEMPLATES, TOOLS, call, call_error, http_session, read_json
from videos import simple_ad

if TYPE_CHECKING:
    from tests.support import LiveServer

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "raw", "version": "0"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


def test_lists_tools_resources_and_prompts(live_server: LiveServer) -> None:
    async def run() -> None:
        async with http_session(f"{live_server.url}/mcp") as s:
            tools = {t.name: t for t in (await s.list_tools()).tools}
            assert set(tools) == TOOLS
            assert "file_path" not in tools["submit_file"].input_schema["properties"]
            assert {"path", "settings", "mode"} <= set(
                tools["submit_file"].input_schema["properties"])
            static = {str(r.uri) for r in (await s.list_resources()).resources}
            assert static == {"adclf://cluster/nodes"}
            templates = {t.uri_template
                         for t in (await s.list_resource_templates()).resource_templates}
            assert templates == TEMPLATES
            assert {p.name for p in (await s.list_prompts()).prompts} == PROMPTS
            prompt = await s.get_prompt("compare_jobs", {"job_a": "node-a-1", "job_b": "node-a-2"})
            text = prompt.messages[0].content.text  # type: ignore[union-attr]
            assert "node-a-1" in text and "node-a-2" in text and "job_result" in text

    asyncio.run(run())


def test_submit_by_path_wait_and_read_the_verdict(live_server: LiveServer) -> None:
    video = simple_ad(live_server.roots / "mcp-http-ad.mp4", brand="NIKE",
                      product="Running shoes", domain="nike.com")

    async def run() -> None:
        async with http_session(f"{live_server.url}/mcp") as s:
            sub = await call(s, "submit_file", path=str(video),
                             settings={"provider": "embedded"})
            job_id = sub["job_id"]
            assert job_id.startswith("node-a-")
            job = await call(s, "job_status", job_id=job_id, wait_seconds=300)
            assert job["status"] == "completed", job
            result = await call(s, "job_result", job_id=job_id)
            assert "NIKE" in str(result).upper(), result
            # The resource is the REST answer itself.
            assert await read_json(s, f"adclf://jobs/{job_id}/result") == result
            for part in ("artifacts", "events", "explanation"):
                assert await call(s, f"job_{part}", job_id=job_id), part
                assert await read_json(s, f"adclf://jobs/{job_id}/{part}"), part
            recent = await call(s, "recent_jobs", limit=50)
            assert any(j["job_id"] == job_id for j in recent["jobs"]) and recent["total"] >= 1
            nodes = await call(s, "cluster_nodes")
            assert nodes["accepting_new_jobs"]["node-a"] is True
            assert (await read_json(s, "adclf://cluster/nodes"))["self"] == nodes["self"]

    asyncio.run(run())


def test_refusals_reach_the_model_as_tool_errors(live_server: LiveServer,
                                                  tmp_path: Path) -> None:
    outside = tmp_path / "outside.mp4"
    outside.write_bytes(b"x")

    async def run() -> None:
        async with http_session(f"{live_server.url}/mcp") as s:
            msg = await call_error(s, "submit_file", path=str(outside))
            assert "403" in msg and "outside the allowed folders" in msg, msg
            msg = await call_error(s, "submit_file", path=str(outside), settings={"bogus": 1})
            assert "422" in msg and "bogus" in msg, msg
            unknown = "node-a-00000000-0000-4000-8000-000000000000"
            assert "404" in await call_error(s, "job_result", job_id=unknown)

    asyncio.run(run())


def test_taxonomy_models_and_diagnostics(live_server: LiveServer) -> None:
    async def run() -> None:
        async with http_session(f"{live_server.url}/mcp") as s:
            got = await call(s, "taxonomy_candidates", phrase="car insurance", top=3)
            assert len(got["candidates"]) == 3
            assert got["candidates"][0]["name"] == "Auto Insurance", got
            models = await call(s, "list_models", provider="ollama")
            # No Ollama in the test environment: an empty list and why.
            assert models["models"] == [] and models["unavailable_reason"]
            device = await call(s, "device_diagnostics")
            assert "node-a" in device["nodes"]

    asyncio.run(run())


def test_the_token_is_required_and_forwarded(live_server: LiveServer) -> None:
    url = f"{live_server.secure_url}/mcp"
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = httpx.post(url, json=INIT, headers={**MCP_HEADERS, **headers}, timeout=30)
        assert r.status_code == 401, r.text
        assert r.headers["www-authenticate"] == "Bearer"
    ok = httpx.post(url, json=INIT, timeout=30,
                    headers={**MCP_HEADERS, "Authorization": f"Bearer {live_server.token}"})
    assert ok.status_code == 200, ok.text

    async def run() -> None:
        async with http_session(url, live_server.token) as s:
            # The REST call behind the tool needs the token too: it was passed on.
            nodes = await call(s, "cluster_nodes")
            assert "node_views" in nodes
            assert (await call(s, "recent_jobs", limit=1))["jobs"] is not None

    asyncio.run(run())
