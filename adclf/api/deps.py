"""Typed dependencies: the per-replica services and the token check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from adclf.cluster.nodes import NodeRegistry
from adclf.config import Settings
from adclf.security.auth import auth_enabled, query_token_ok, token_ok
from adclf.services.jobs import JobService


@dataclass
class Services:
    settings: Settings
    registry: NodeRegistry
    jobs: JobService
    local_node: str
    started_at: float


_services: Services | None = None


def set_services(services: Services) -> None:
    """Called once by the ingress replica. Serve ships the FastAPI app to the replica by value,
    so `app.state` set in the constructor is not the one requests see: a process global is."""
    global _services
    _services = services


# Dependencies are `async def` although they never await: FastAPI runs plain `def` dependencies
# in a thread pool, and two thread hops per request were a measurable part of GET latency.
async def get_services(request: Request) -> Services:
    services = _services or getattr(request.app.state, "services", None)
    if services is None:
        raise RuntimeError("adclf services are not initialised in this process")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def require_token(request: Request, services: ServicesDep) -> None:
    tokens = services.settings.api_tokens()
    if not auth_enabled(tokens):
        return
    if token_ok(request.headers.get("authorization"), tokens):
        return
    # Browsers cannot put headers on EventSource, <img> or <video>: those GETs may use ?token=.
    if request.method == "GET" and query_token_ok(request.query_params.get("token"), tokens):
        return
    raise HTTPException(status_code=401, detail="missing or invalid API token",
                        headers={"WWW-Authenticate": "Bearer"})


Authenticated = [Depends(require_token)]
