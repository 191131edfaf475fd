"""Streaming uploads to disk: size-bounded, generated names, no trace left on failure."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from adclf.domain import VIDEO_EXTENSIONS
from adclf.errors import BadInput, TooLarge
from adclf.net.sniff import SNIFF_BYTES, describe_non_video, video_suffix

ALLOWED_SUFFIXES: frozenset[str] = frozenset(
    {*VIDEO_EXTENSIONS, ".mpg", ".mpeg", ".ts", ".flv", ".wmv", ".ogv", ".3gp"}
)


def safe_suffix(filename: str | None) -> str:
    """The lower-cased extension of a client file name if it is an allowed video extension,
    else "" (the caller then lets `save_upload` pick one from the content)."""
    if not filename or "\x00" in filename:
        return ""
    # Browsers on Windows may send a full path; only the last component matters.
    name = PureWindowsPath(PurePosixPath(filename).name).name
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in ALLOWED_SUFFIXES else ""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


async def save_upload(
    stream: AsyncIterator[bytes],
    dest_dir: Path,
    max_bytes: int,
    *,
    declared_length: int | None,
    suffix: str,
    require_video: bool = True,
) -> tuple[Path, int]:
    """Write `stream` to `<dest_dir>/<uuid><suffix>` and return (path, size).

    Refuses at once when `declared_length` > `max_bytes` (TooLarge), counts while streaming
    (TooLarge as soon as the limit is passed), refuses an empty body or (with `require_video`)
    one whose first bytes are not a known video container (BadInput). On any error, including
    cancellation, the partial file is deleted. The client's file name never reaches the path:
    `suffix` must be "" or one of ALLOWED_SUFFIXES ("" -> taken from the sniffed container)."""
    if declared_length is not None and declared_length > max_bytes:
        raise TooLarge(f"the upload is larger than the {_mb(max_bytes)} limit")
    suffix = suffix.lower()
    if suffix and suffix not in ALLOWED_SUFFIXES:
        raise BadInput(f"unsupported file extension {suffix[:20]!r}")
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = uuid.uuid4().hex
    part = dest_dir / f"{stem}.part"
    total = 0
    head = b""
    try:
        # O_EXCL: never reuse an existing path or follow a planted symlink
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "wb") as out:
            async for chunk in stream:
                if not chunk:
                    continue
                total += len(chunk)
                if total > max_bytes:
                    raise TooLarge(f"the upload is larger than the {_mb(max_bytes)} limit")
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                # Small sequential writes land in the page cache; not worth a thread hop.
                out.write(chunk)
        if total == 0:
            raise BadInput("the upload is empty")
        sniffed = video_suffix(head)
        if require_video and sniffed is None:
            raise BadInput(f"the upload is {describe_non_video(head, None)}, not a video")
        final = dest_dir / f"{stem}{suffix or sniffed or '.bin'}"
        os.replace(part, final)
        return final, total
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
