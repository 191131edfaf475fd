"""The REST API as MCP tools see it: where it is, with whose token, and its answers as JSON or
as one clear error the model can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from mcp.server.mcpserver.exceptions import ToolError

from adclf.http_detail import api_detail
from adclf.security.redact import redact_url

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


@dataclass(frozen=True)
class ApiTarget:
    """An adclf service: its base URL (with any route prefix) and the bearer token to send.
    `repr` never shows the token."""

    base_url: str
    token: str | None = None

    def __repr__(self) -> str:
        return f"ApiTarget({redact_url(self.base_url)!r}, token={'set' if self.token else None})"


class ApiFailure(ToolError):
    """The API refused a call or could not be reached; the message is for the model."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    body: Any
    headers: httpx.Headers


class RestApi:
    def __init__(self, target: ApiTarget) -> None:
        self.target = target

    async def call(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                   json: Any = None) -> Answer:
        headers = {"Authorization": f"Bearer {self.target.token}"} if self.target.token else {}
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        shown = redact_url(self.target.base_url)
        try:
            async with httpx.AsyncClient(base_url=self.target.base_url, headers=headers,
                                         timeout=TIMEOUT, trust_env=False) as http:
                r = await http.request(method, path, params=clean, json=json)
        except httpx.HTTPError as exc:
            raise ApiFailure(f"cannot reach the adclf service at {shown}: "
                             f"{type(exc).__name__}: {exc}") from None
        if r.is_error:
            raise ApiFailure(f"{method} {path}: {r.status_code} {r.reason_phrase}: "
                             f"{api_detail(r)}", r.status_code)
        try:
            body = r.json()
        except ValueError:
            body = r.text
        return Answer(body, r.headers)

    async def get(self, path: str, **params: Any) -> Any:
        return (await self.call("GET", path, params=params)).body

    async def post(self, path: str, body: Any) -> Any:
        return (await self.call("POST", path, json=body)).body
