"""What jobs can be classified into and with: the taxonomy tree in use and the models the Ollama
server offers."""

from __future__ import annotations

import asyncio
from typing import Any

from adclf.config import Settings
from adclf.security.redact import redact_url


class CatalogueService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def taxonomy(self) -> dict[str, Any]:
        """The taxonomy used for mapping, as a nested tree `{id, name, children}`."""
        # The pipeline is imported on first use: the ingress does not need it to start.
        from adclf.pipeline.taxonomy import load_taxonomy

        tax = await asyncio.to_thread(load_taxonomy, self.settings)
        return {"name": getattr(tax, "name", "taxonomy"), "nodes": len(tax.nodes),
                "tree": tax.to_tree()}

    async def ollama_models(self) -> dict[str, Any]:
        """Models installed on OLLAMA_HOST; Unavailable (503) with a reason when it is not
        reachable."""
        from adclf.pipeline.providers.models import list_ollama_models

        models = await asyncio.to_thread(list_ollama_models, self.settings)
        host = self.settings.OLLAMA_HOST
        # OLLAMA_HOST may carry credentials (user:pw@host): never shown.
        return {"host": redact_url(host if "://" in host else f"http://{host}"),
                "models": models}
