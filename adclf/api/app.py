"""The FastAPI application (routes only; per-replica services are attached by the deployment)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route

from adclf import __version__
from adclf.api.docs import install_docs
from adclf.api.errors import install_error_handlers
from adclf.api.routes import (
    batches,
    benchmark,
    cluster,
    dashboard,
    health,
    jobs,
    logs,
    taxonomy,
)
from adclf.api.schemas import ValidationErrorView
from adclf.config import Settings
from adclf.mcp.http import McpEndpoint
from adclf.security.cors import SettingsCORSMiddleware

DESCRIPTION = """Classify video ads: brand, IAB Ad Product category (id, name, parent, tier-1
industry), confidence, reasoning and evidence. Jobs run on a Ray cluster; every job id starts with
its owner node's name (`node-a-<uuid>`). When `API_TOKEN` is set, send
`Authorization: Bearer <token>` on every route but `/health`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="adclf", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    install_docs(app)
    app.add_middleware(SettingsCORSMiddleware, origins=_cors_origins(settings))
    install_error_handlers(app)
    # Every 422 is adclf's own body ({"detail": message, "errors": [...]}, api/errors.py), not
    # FastAPI's default: the schema says so for every route.
    invalid: dict[int | str, dict[str, Any]] = {422: {"model": ValidationErrorView}}
    for router in (health.public, jobs.router, cluster.router, health.router, taxonomy.router,
                   logs.router, benchmark.router, batches.router, dashboard.router):
        app.include_router(router, responses=invalid)
    dashboard.mount_assets(app)
    # Not in the schema: MCP is JSON-RPC, described by its own `tools/list` (README "Agents").
    # A route with an ASGI app, not a Mount: a Mount would answer /mcp with a redirect to /mcp/.
    app.router.routes.append(Route("/mcp", McpEndpoint(_api_tokens(settings)),
                                   methods=["GET", "POST", "DELETE"], include_in_schema=False))
    return app


def _cors_origins(settings: Settings | None) -> Callable[[], list[str]]:
    """The deployment builds this app before its Settings exist (see adclf.security.cors): then
    the origins come from the replica's services, once they are set."""
    if settings is not None:
        return lambda: settings.CORS_ORIGINS
    from adclf.api import deps

    return lambda: deps._services.settings.CORS_ORIGINS if deps._services else []


def _api_tokens(settings: Settings | None) -> Callable[[], list[str] | None]:
    """/mcp's token check, like the REST routes' (None: the replica is not set up yet)."""
    if settings is not None:
        return settings.api_tokens
    from adclf.api import deps

    return lambda: deps._services.settings.api_tokens() if deps._services else None
