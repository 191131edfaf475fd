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
            from adclf.brands import BrandCatalogue

            _loaded[user_path] = BrandCatalogue.load(default=True, user_path=user_path)
        return _loaded[user_path]
