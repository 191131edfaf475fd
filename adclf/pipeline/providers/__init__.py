"""Classifier providers, chosen per job by `JobSettings.provider` (default:
Settings.DEFAULT_PROVIDER).

Each provider module exposes one class constructed as `Cls(settings, job_settings)` and
implementing `adclf.pipeline.types.ClassifierProvider`. Imports are lazy so that choosing `ollama`
never loads torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from adclf.errors import BadInput

if TYPE_CHECKING:
    from adclf.config import Settings
    from adclf.domain import JobSettings
    from adclf.pipeline.types import ClassifierProvider

_PROVIDERS: dict[str, str] = {
    "embedded": "adclf.pipeline.providers.embedded:EmbeddedProvider",
    "ollama": "adclf.pipeline.providers.ollama:OllamaProvider",
    "openai": "adclf.pipeline.providers.openai_compat:OpenAICompatProvider",
}


def provider_names() -> list[str]:
    return list(_PROVIDERS)


def get_provider(settings: Settings, job_settings: JobSettings) -> ClassifierProvider:
    name = job_settings.provider or settings.DEFAULT_PROVIDER
    try:
        target = _PROVIDERS[name]
    except KeyError:
        raise BadInput(f"unknown provider {name!r}; choose one of {provider_names()}") from None
    module_name, cls_name = target.split(":")
    cls = getattr(import_module(module_name), cls_name)
    provider: ClassifierProvider = cls(settings, job_settings)
    return provider
