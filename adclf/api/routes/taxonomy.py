"""/api/taxonomy (the tree in use) and /ollama/models (what the Ollama server has)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter

from adclf.api.deps import Authenticated, ServicesDep
from adclf.security.redact import redact_url

router = APIRouter(tags=["taxonomy"], dependencies=Authenticated)


@router.get("/api/taxonomy")
async def taxonomy(services: ServicesDep) -> dict[str, Any]:
    """The taxonomy used for mapping, as a nested tree `{id, name, children}`."""
    from adclf.pipeline.taxonomy import load_taxonomy

    tax = await asyncio.to_thread(load_taxonomy, services.settings)
    return {"name": getattr(tax, "name", "taxonomy"), "nodes": len(tax.nodes),
            "tree": tax.to_tree()}


@router.get("/ollama/models")
async def ollama_models(services: ServicesDep) -> dict[str, Any]:
    """Models installed on OLLAMA_HOST (503 with a reason when it is not reachable)."""
    from adclf.pipeline.providers.models import list_ollama_models

    models = await asyncio.to_thread(list_ollama_models, services.settings)
    host = services.settings.OLLAMA_HOST
    # OLLAMA_HOST may carry credentials (user:pw@host): never shown.
    return {"host": redact_url(host if "://" in host else f"http://{host}"), "models": models}
