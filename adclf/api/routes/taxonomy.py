"""/api/taxonomy (the tree in use), the original's taxonomy explorer, and the model lists of
the model servers (/ollama/models, /llama-server/models, /api/v1/models?provider=)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from adclf.api.deps import Authenticated, CatalogueDep
from adclf.api.schemas import ModelView

router = APIRouter(tags=["taxonomy"], dependencies=Authenticated)

REASON = {"X-Unavailable-Reason": {"schema": {"type": "string"},
                                   "description": "why the list is empty (server unreachable)"}}


@router.get("/api/taxonomy")
async def taxonomy(catalogue: CatalogueDep) -> dict[str, Any]:
    """The taxonomy used for mapping, as a nested tree `{id, name, children}`."""
    return await catalogue.taxonomy()


@router.get("/api/taxonomy/explorer")
async def taxonomy_explorer(catalogue: CatalogueDep) -> dict[str, Any]:
    """The original's explorer payload: `groups` (tier-1 and children), `items` (every node with
    its path and industry) and `stats`."""
    return await catalogue.explorer()


@router.get("/api/taxonomy/search")
async def taxonomy_search(
    catalogue: CatalogueDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="a phrase")],
    categories: Annotated[str | None, Query(
        max_length=2000, description="restrict to these ids or names (comma-separated)")] = None,
    top: Annotated[int, Query(ge=1, le=25)] = 5,
) -> dict[str, Any]:
    """Taxonomy categories near a phrase, best first: `{phrase, candidates: [{id, name, path,
    industry, score, match}]}` where `match` is `exact`, `alias` or `embedding`."""
    allowed = [c.strip() for c in categories.split(",") if c.strip()] if categories else None
    return await catalogue.taxonomy_candidates(q, allowed, top)


async def _models(catalogue: CatalogueDep, provider: str, response: Response
                  ) -> list[dict[str, Any]]:
    models, reason = await catalogue.provider_models(provider)
    if reason:
        # A header is printable ASCII: the reason may quote the caller's provider value.
        response.headers["X-Unavailable-Reason"] = "".join(
            ch if " " <= ch <= "~" else "?" for ch in reason[:300])
    return models


@router.get("/ollama/models", response_model=list[ModelView],
            responses={200: {"headers": REASON}})
async def ollama_models(catalogue: CatalogueDep, response: Response) -> list[dict[str, Any]]:
    """Models installed on OLLAMA_HOST, `[{name, size, modified_at, ...}]`; `[]` when it is not
    reachable (the reason is in the X-Unavailable-Reason header), as the original."""
    return await _models(catalogue, "ollama", response)


@router.get("/llama-server/models", response_model=list[ModelView],
            responses={200: {"headers": REASON}})
async def llama_server_models(catalogue: CatalogueDep, response: Response
                              ) -> list[dict[str, Any]]:
    """Models of the OpenAI-compatible server (OPENAI_BASE_URL `/models`) as
    `[{name, size, modified_at}]`; `[]` when it is not reachable."""
    return await _models(catalogue, "llama-server", response)


@router.get("/api/v1/models", response_model=list[ModelView],
            responses={200: {"headers": REASON}})
async def provider_models(catalogue: CatalogueDep, response: Response,
                          provider: Annotated[str, Query(max_length=40)] = "ollama"
                          ) -> list[dict[str, Any]]:
    """The model list of a provider: `ollama`, or `llama-server` / `lm studio` / `openai`."""
    return await _models(catalogue, provider, response)
