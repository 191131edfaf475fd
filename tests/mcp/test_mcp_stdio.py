"""`adclf mcp` (stdio) through the SDK's stdio client: the command runs as a subprocess and its
tools call the real Serve app with the CLI's server and token settings."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from mcp_support import PROMPTS, TOOLS, call, call_error, read_json, stdio_session
from videos import simple_ad

if TYPE_CHECKING:
    from tests.support import LiveServer


def test_stdio_submits_a_video_and_reads_its_result(live_server: LiveServer) -> None:
    video = simple_ad(live_server.roots / "mcp-stdio-ad.mp4", brand="ORBIT",
                      product="Chewing gum", domain="orbit.com")

    async def run() -> None:
        async with stdio_session(live_server.url) as s:
            assert {t.name for t in (await s.list_tools()).tools} == TOOLS
            assert {p.name for p in (await s.list_prompts()).prompts} == PROMPTS
            job_id = (await call(s, "submit_file", path=str(video)))["job_id"]
            job = await call(s, "job_status", job_id=job_id, wait_seconds=300)
            assert job["status"] == "completed", job
            result = await read_json(s, f"adclf://jobs/{job_id}/result")
            assert "ORBIT" in str(result).upper(), result
            prompt = await s.get_prompt("investigate_job", {"job_id": job_id})
            assert job_id in prompt.messages[0].content.text  # type: ignore[union-attr]

    asyncio.run(run())


def test_stdio_sends_the_cli_token(live_server: LiveServer) -> None:
    async def run() -> None:
        async with stdio_session(live_server.secure_url) as s:
            msg = await call_error(s, "cluster_nodes")
            assert "401" in msg, msg
            assert live_server.token not in msg
        async with stdio_session(live_server.secure_url, live_server.token) as s:
            nodes = await call(s, "cluster_nodes")
            assert nodes["self"] and nodes["node_views"]

    asyncio.run(run())
