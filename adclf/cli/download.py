"""Writing a download to a file: beside the target, then renamed, so a failed or interrupted
download never leaves half a file where the user expects a whole one."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def save(chunks: Iterable[bytes], target: Path) -> int:
    """Write `chunks` to `target`; returns the number of bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    size = 0
    try:
        with partial.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return size
