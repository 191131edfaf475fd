"""The FastAPI application (routes only; per-replica services are attached by the deployment)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from adclf import __version__
from adclf.api.errors import install_error_handlers
from adclf.api.routes import cluster, dashboard, health, jobs, taxonomy
from adclf.config import Settings

DESCRIPTION = """Classify video ads: brand, IAB Ad Product category (id, name, parent, tier-1
industry), confidence, reasoning and evidence. Jobs run on a Ray cluster; every job id starts with
its owner node's name (`node-a-<uuid>`). When `API_TOKEN` is set, send
`Authorization: Bearer <token>` on every route but `/health`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(title="adclf", version=__version__, description=DESCRIPTION)
    origins = settings.CORS_ORIGINS if settings else []
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins,
                           allow_credentials="*" not in origins,
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type", "X-Filename"])
    install_error_handlers(app)
    app.include_router(health.public)
    app.include_router(jobs.router)
    app.include_router(cluster.router)
    app.include_router(health.router)
    app.include_router(taxonomy.router)
    app.include_router(dashboard.router)
    dashboard.mount_assets(app)
    return app
