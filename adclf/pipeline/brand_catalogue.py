"""The brand catalogue as the pipeline uses it: loaded once per process (default + BRANDS_PATH)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adclf.brands import BrandCatalogue

_lock = threading.Lock()
_loaded: dict[Path | None, BrandCatalogue] = {}


def get_catalogue(user_path: Path | None = None) -> BrandCatalogue:
    with _lock:
        if user_path not in _loaded:
            from adclf.brands import BrandCatalogue, default_catalogue

            # the shipped catalogue alone is the process-wide one, not a second copy of it
            _loaded[user_path] = default_catalogue() if user_path is None else \
                BrandCatalogue.load(default=True, user_path=user_path)
        return _loaded[user_path]
