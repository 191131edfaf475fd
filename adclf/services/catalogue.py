"""What jobs can be classified into and with: the taxonomy in use (as a tree, and as the
original's explorer payload), the mapper's state, and the models the model servers offer."""

from __future__ import annotations

import asyncio
from typing import Any

from adclf.config import Settings
from adclf.errors import Unavailable
from adclf.security.redact import redact_url


class CatalogueService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def _taxonomy(self) -> Any:
        # The pipeline is imported on first use: the ingress does not need it to start.
        from adclf.pipeline.taxonomy import load_taxonomy

        return await asyncio.to_thread(load_taxonomy, self.settings)

    async def taxonomy(self) -> dict[str, Any]:
        """The taxonomy used for mapping, as a nested tree `{id, name, children}`."""
        tax = await self._taxonomy()
        return {"name": getattr(tax, "name", "taxonomy"), "nodes": len(tax.nodes),
                "tree": tax.to_tree()}

    async def explorer(self) -> dict[str, Any]:
        """The original's taxonomy explorer: groups (tier-1 with their children), every node
        with its path and industry, and counts."""
        tax = await self._taxonomy()
        items = []
        for node in tax.nodes.values():
            path = tax.ancestors(node.id)  # from the tier-1 industry down to the node
            industry = tax.industry(node.id)
            items.append({
                "id": node.id, "name": node.name, "level": len(path),
                "parent_id": node.parent_id or "", "path_ids": [n.id for n in path],
                "path_names": [n.name for n in path], "path_text": tax.path(node.id),
                "industry_id": industry.id, "industry_name": industry.name,
            })
        groups = [{"id": r, "name": tax.nodes[r].name,
                   "children": [{"id": c.id, "name": c.name} for c in tax.children(r)]}
                  for r in tax.roots]
        return {
            "enabled": True, "json_path_used": tax.source, "last_error": None,
            "stats": {"group_count": len(groups), "item_count": len(items),
                      "root_count": len(tax.roots), "leaf_count": len(tax.leaves()),
                      "max_level": max((i["level"] for i in items), default=0)},
            "groups": groups, "items": items,
        }

    async def taxonomy_candidates(self, phrase: str, categories: list[str] | None = None,
                                  top: int = 5) -> dict[str, Any]:
        """Taxonomy categories near a phrase (exact, alias, then MiniLM similarity), optionally
        within a job's `categories`. The first call loads the text encoder in this process."""
        from adclf.pipeline.taxonomy import get_mapper
        from adclf.pipeline.taxonomy.search import candidates

        def run() -> list[dict[str, Any]]:
            return candidates(get_mapper(self.settings, categories), phrase, top)

        return {"phrase": phrase.strip(), "candidates": await asyncio.to_thread(run)}

    async def mapper_diagnostics(self) -> dict[str, Any]:
        """The original's /diagnostics/category: how categories are mapped here."""
        tax = await self._taxonomy()
        return {"enabled": True, "method": "exact, alias, then all-MiniLM-L6-v2 retrieval",
                "embedding_model": "all-MiniLM-L6-v2 (packaged, offline)",
                "taxonomy_source": tax.source, "category_count": len(tax.nodes),
                "leaf_count": len(tax.leaves()), "last_error": None}

    async def ollama_models(self) -> dict[str, Any]:
        """Models installed on OLLAMA_HOST; Unavailable (503) with a reason when it is not
        reachable."""
        from adclf.pipeline.providers.models import list_ollama_models

        models = await asyncio.to_thread(list_ollama_models, self.settings)
        host = self.settings.OLLAMA_HOST
        # OLLAMA_HOST may carry credentials (user:pw@host): never shown.
        return {"host": redact_url(host if "://" in host else f"http://{host}"),
                "models": models}

    async def provider_models(self, provider: str) -> tuple[list[dict[str, Any]], str | None]:
        """The original's model list for a provider ("ollama", "llama-server"...):
        `[{name, size, modified_at}]`, and why it is empty when the server is not reachable
        (the original answers [] then; the reason goes in a header)."""
        from adclf.pipeline.providers.models import list_ollama_models, list_openai_models

        name = " ".join(provider.strip().lower().replace("_", " ").split())
        try:
            if name == "ollama":
                got = await asyncio.to_thread(list_ollama_models, self.settings)
                return [{**m, "name": m["name"]} for m in got], None
            if name in ("llama server", "llama-server", "lm studio", "openai"):
                got = await asyncio.to_thread(list_openai_models, self.settings)
                return [{"name": m["id"], "id": m["id"], "size": m.get("owned_by"),
                         "modified_at": m.get("created")} for m in got], None
        except Unavailable as exc:
            return [], str(exc)
        return [], f"provider {provider[:40]!r} has no model list"
