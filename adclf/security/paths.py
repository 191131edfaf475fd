"""Server-side paths submitted by API clients (/jobs/by-folder, /jobs/by-filepath).

Error choice (used consistently):
- malformed (relative, `~`, NUL byte, too long)      -> BadInput  (400)
- no roots configured, or outside every root         -> Forbidden (403)
- inside a root but missing                          -> NotFound  (404)
- inside a root but a file where a dir was expected,
  or the reverse, or unreadable                      -> BadInput  (400)
Containment is decided BEFORE any existence check, so a client cannot probe which paths exist
outside the roots.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from adclf.config import Settings
from adclf.errors import BadInput, Forbidden, NotFound

MAX_PATH_LENGTH = 4096

DISABLED_MESSAGE = (
    "server paths are disabled; set ALLOWED_FOLDER_ROOTS=/abs/dir[,...] to enable "
    "/jobs/by-folder and /jobs/by-filepath"
)


def is_within(path: Path, root: Path) -> bool:
    """True when `path`, with symlinks and `..` resolved, is `root` or lies below it.
    Compares whole path components, so /data/root2 is not inside /data/root."""
    try:
        real_path = Path(os.path.realpath(path))
        real_root = Path(os.path.realpath(root))
    except (OSError, ValueError):
        return False
    return real_path == real_root or real_path.is_relative_to(real_root)


def _within_any(path: Path, roots: list[Path]) -> bool:
    return any(is_within(path, root) for root in roots)


def resolve_allowed_path(raw: str, settings: Settings, *, want: Literal["file", "dir"]) -> Path:
    """The real (symlink-free) path `raw` names, if it is allowed; raises otherwise."""
    if not isinstance(raw, str) or not raw:
        raise BadInput("the path is empty")
    if "\x00" in raw:
        raise BadInput("the path contains a NUL byte")
    if len(raw) > MAX_PATH_LENGTH:
        raise BadInput(f"the path is longer than {MAX_PATH_LENGTH} characters")
    # `~` is never expanded: it would be the server user's home, not the client's
    if not raw.startswith("/"):
        raise BadInput(f"the path must be absolute (start with '/'): {raw[:200]!r}")
    roots = list(settings.ALLOWED_FOLDER_ROOTS)
    if not roots:
        raise Forbidden(DISABLED_MESSAGE)

    candidate = Path(raw)
    # Lexical check first (`..` collapsed, nothing touched on disk), then the symlink-resolved
    # one: both must hold, so neither `..` nor a symlink inside a root can lead out of it.
    lexical = Path(os.path.normpath(raw))
    if not _within_any(lexical, roots):
        raise Forbidden(f"the path is outside the allowed folders: {raw[:200]!r}")
    try:
        resolved = candidate.resolve(strict=False)
    except (OSError, RuntimeError) as err:  # RuntimeError: symlink loop on some versions
        raise BadInput(f"the path cannot be resolved: {raw[:200]!r}") from err
    if not _within_any(resolved, roots):
        raise Forbidden(f"the path is outside the allowed folders: {raw[:200]!r}")
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError as err:
        raise NotFound(f"no such {want}: {raw[:200]!r}") from err
    except (OSError, RuntimeError) as err:
        raise BadInput(f"the path cannot be resolved: {raw[:200]!r}") from err
    # resolved again in case a symlink changed between the two resolutions
    if not _within_any(resolved, roots):
        raise Forbidden(f"the path is outside the allowed folders: {raw[:200]!r}")
    if want == "file" and not resolved.is_file():
        raise BadInput(f"not a regular file: {raw[:200]!r}")
    if want == "dir" and not resolved.is_dir():
        raise BadInput(f"not a directory: {raw[:200]!r}")
    if not os.access(resolved, os.R_OK | (os.X_OK if want == "dir" else 0)):
        raise BadInput(f"the server cannot read: {raw[:200]!r}")
    return resolved
