"""Uploads from a client: the file name it sent reduced to a safe suffix, and the body streamed
through the bounded intake (`adclf.net.intake`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from adclf.net.intake import ALLOWED_SUFFIXES, UPLOAD, Intake


def safe_suffix(filename: str | None) -> str:
    """The lower-cased extension of a client file name if it is an allowed video extension,
    else "" (the caller then lets `save_upload` pick one from the content)."""
    if not filename or "\x00" in filename:
        return ""
    # Browsers on Windows may send a full path; only the last component matters.
    name = PureWindowsPath(PurePosixPath(filename).name).name
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in ALLOWED_SUFFIXES else ""


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
    cancellation, the partial file is deleted. `suffix` must be "" or one of ALLOWED_SUFFIXES
    ("" -> taken from the sniffed container, ".bin" if none)."""
    intake = Intake(dest_dir, max_bytes, UPLOAD, declared_length=declared_length, suffix=suffix,
                    require_video=require_video)
    path = await intake.take_async(stream)
    return path, intake.size
