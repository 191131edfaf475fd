"""/admin/logs: this replica's recent log lines and a live stream (the original's console)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from adclf.api.deps import Authenticated, LogsDep
from adclf.api.schemas import LogLines

router = APIRouter(tags=["admin"], dependencies=Authenticated)


@router.get("/admin/logs/recent", response_model=LogLines)
async def recent_logs(logs: LogsDep,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, list[str]]:
    """The newest log lines of the replica that answers, oldest first."""
    return await logs.recent(limit)


@router.post("/admin/logs/clear")
async def clear_logs(logs: LogsDep) -> dict[str, str]:
    """Forget the buffered lines (the log files are untouched)."""
    return await logs.clear()


@router.get("/admin/logs/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream_logs(logs: LogsDep) -> StreamingResponse:
    """Server-sent events: `bootstrap` `{lines}` once, then `log` `{line}` per line and `ping`
    every 15 s when quiet."""
    items = logs.follow()

    async def events() -> AsyncIterator[str]:
        async for kind, lines in items:
            data = {"lines": lines} if kind == "bootstrap" else (
                {"line": lines[0]} if lines else {})
            yield f"event: {kind}\ndata: {json.dumps(data)}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
