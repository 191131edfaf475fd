"""The one bounded way a body from outside lands on disk: a download (`adclf.net.fetch`) or an
upload (`adclf.net.uploads`).

The body goes to `<dest_dir>/<uuid>.part` (created with O_EXCL), is counted against a byte limit,
its first SNIFF_BYTES decide the video container (and so the final suffix), and only a complete,
accepted body is renamed to `<uuid><suffix>`. On any failure, cancellation included, the partial
file is removed. The client's or server's file name never reaches the path.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from adclf.domain import VIDEO_EXTENSIONS
from adclf.errors import AdclfError, BadInput, FetchError, TooLarge
from adclf.net.sniff import SNIFF_BYTES, describe_non_video, video_suffix

ALLOWED_SUFFIXES: frozenset[str] = frozenset(
    {*VIDEO_EXTENSIONS, ".mpg", ".mpeg", ".ts", ".flv", ".wmv", ".ogv", ".3gp"}
)


@dataclass(frozen=True)
class Door:
    """How one way in words and types its refusals (each kept from before the two shared this
    module: a download's refusal is a FetchError, i.e. a failed job; an upload's an HTTP 4xx)."""

    too_large: str  # formatted with {limit}
    not_video: str  # formatted with {what}, from describe_non_video
    empty: str | None  # None: an empty body is refused as "an empty body, not a video"
    too_large_error: type[AdclfError]
    refusal_error: type[AdclfError]
    # A download stops at the first SNIFF_BYTES of an HTML page instead of fetching all of it;
    # an upload is judged when complete, so one over the limit stays a 413 whatever it holds.
    sniff_early: bool


DOWNLOAD = Door(
    too_large="the video is larger than the {limit} limit",
    not_video="the URL returned {what}, not a video",
    empty=None,
    too_large_error=FetchError,
    refusal_error=FetchError,
    sniff_early=True,
)
UPLOAD = Door(
    too_large="the upload is larger than the {limit} limit",
    not_video="the upload is {what}, not a video",
    empty="the upload is empty",
    too_large_error=TooLarge,
    refusal_error=BadInput,
    sniff_early=False,
)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


class Intake:
    """One body into one new file. Construction refuses what is known to be wrong before a byte
    is read (a declared length over the limit, a suffix outside ALLOWED_SUFFIXES); `take`
    (a sync iterator of chunks) or `take_async` (an async one) writes it and returns the path."""

    def __init__(
        self,
        dest_dir: Path,
        max_bytes: int,
        door: Door,
        *,
        declared_length: int | None = None,
        suffix: str = "",
        require_video: bool = True,
        content_type: str | None = None,
    ) -> None:
        self.dest_dir = dest_dir
        self.max_bytes = max_bytes
        self.door = door
        self.require_video = require_video
        self.content_type = content_type
        if declared_length is not None and declared_length > max_bytes:
            raise self._too_large()
        self.suffix = suffix.lower()
        # "" means "from the sniffed container"; anything else must be a known video extension
        # so that no caller can smuggle a path or an executable suffix into the name.
        if self.suffix and self.suffix not in ALLOWED_SUFFIXES:
            raise BadInput(f"unsupported file extension {self.suffix[:20]!r}")
        self.size = 0
        self._head = b""
        self._sniffed: str | None = None
        self._final: Path | None = None

    def take(self, chunks: Iterable[bytes]) -> Path:
        with self._part_file() as out:
            for chunk in chunks:
                self._feed(out, chunk)
        return self._done()

    async def take_async(self, chunks: AsyncIterable[bytes]) -> Path:
        with self._part_file() as out:
            async for chunk in chunks:
                # Small sequential writes land in the page cache; not worth a thread hop.
                self._feed(out, chunk)
        return self._done()

    @contextlib.contextmanager
    def _part_file(self) -> Iterator[BinaryIO]:
        self.dest_dir.mkdir(parents=True, exist_ok=True)
        stem = uuid.uuid4().hex
        part = self.dest_dir / f"{stem}.part"
        try:
            # O_EXCL: never reuse an existing path or follow a planted symlink
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as out:
                yield out
            final = self.dest_dir / f"{stem}{self._final_suffix()}"
            os.replace(part, final)
            self._final = final
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise

    def _feed(self, out: BinaryIO, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise self._too_large()
        out.write(chunk)
        if len(self._head) < SNIFF_BYTES:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
            if self.door.sniff_early and len(self._head) >= SNIFF_BYTES:
                self._sniff()

    def _sniff(self) -> str | None:
        self._sniffed = video_suffix(self._head)
        if self.require_video and self._sniffed is None:
            what = describe_non_video(self._head, self.content_type)
            raise self.door.refusal_error(self.door.not_video.format(what=what))
        return self._sniffed

    def _final_suffix(self) -> str:
        if self.size == 0 and self.door.empty is not None:
            raise self.door.refusal_error(self.door.empty)
        sniffed = self._sniffed or self._sniff()
        return self.suffix or sniffed or ".bin"

    def _too_large(self) -> AdclfError:
        return self.door.too_large_error(self.door.too_large.format(limit=_mb(self.max_bytes)))

    def _done(self) -> Path:
        assert self._final is not None  # set by _part_file once the body was accepted
        return self._final
