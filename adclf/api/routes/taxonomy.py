"""/api/taxonomy (the tree in use) and /ollama/models (what the Ollama server has)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from adclf.api.deps import Authenticated, CatalogueDep

router = APIRouter(tags=["taxonomy"], dependencies=Authenticated)


@router.get("/api/taxonomy")
async def taxonomy(catalogue: CatalogueDep) -> dict[str, Any]:
    """The taxonomy used for mapping, as a nested tree `{id, name, children}`."""
    return await catalogue.taxonomy()


@router.get("/ollama/models")
async def ollama_models(catalogue: CatalogueDep) -> dict[str, Any]:
    """Models installed on OLLAMA_HOST (503 with a reason when it is not reachable)."""
    return await catalogue.ollama_models()
