"""The API's error body read for a person, shared by adclf's HTTP clients (CLI, MCP server)."""

from __future__ import annotations

import httpx


def api_detail(response: httpx.Response) -> str:
    """The API's `detail` (a message; a list of validation errors from older servers) or the start
    of the raw body."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:300] or response.reason_phrase
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for err in detail[:5]:
            if isinstance(err, dict):
                loc = ".".join(str(p) for p in err.get("loc", []) if p != "body")
                parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
            else:
                parts.append(str(err))
        return "; ".join(parts)
    return str(body)[:300]
