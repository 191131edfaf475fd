"""Files adclf derives at setup from what installed packages ship (the word table, the ONNX
exports): written whole or not at all, and rebuilt only when stale."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Written beside `path` and renamed into place: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_main(doc: str | None, default: Path, is_current: Callable[[Path], bool],
               build: Callable[[Path], dict[str, Any]],
               summary: Callable[[dict[str, Any], Path], str]) -> None:
    """The command line of a builder: `[--force] [--out DIR]`, nothing done when current."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    if not args.force and is_current(args.out):
        return
    print(summary(build(args.out), args.out))
