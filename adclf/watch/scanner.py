"""Which videos in the watched folders are complete and not yet handled.

A file is ready when (a) its size and mtime did not change across scans spanning at least the
settle time, and (b) no process holds it open for writing (openfiles). Both are needed: a writer
that stalls keeps size and mtime still while the file is unfinished, and a tool that writes and
closes in bursts (or runs as another user, out of /proc's sight) is caught by the settle time.

Each ready file is handed out once per identity (device, inode, size, mtime): a file that is
renamed keeps its identity and is not handed out again; a file that changes afterwards settles
again. Whether its *content* was classified before is the ledger's business (by hash)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from adclf.domain import VIDEO_EXTENSIONS
from adclf.security.paths import is_within
from adclf.watch.openfiles import InodeKey, WriterScan, open_for_writing

log = logging.getLogger("adclf.watch")


@dataclass(frozen=True)
class FoundFile:
    path: Path
    root: Path  # the watched folder it was found in
    dev: int
    ino: int
    size: int
    mtime_ns: int

    @property
    def identity(self) -> tuple[int, int, int, int]:
        return (self.dev, self.ino, self.size, self.mtime_ns)

    @property
    def inode(self) -> InodeKey:
        return (self.dev, self.ino)

    def unchanged(self) -> bool:
        """Still the same file (e.g. after hashing it)."""
        try:
            st = self.path.stat()
        except OSError:
            return False
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == self.identity


@dataclass
class _Settling:
    identity: tuple[int, int, int, int]
    since: float
    scans: int = 1


class FolderScanner:
    """`roots`: files (after resolving symlinks) must stay inside one of them, as server paths
    must (ALLOWED_FOLDER_ROOTS); None for the CLI, which reads only what its user can read.
    `skip`: folders never entered (a results folder inside a watched one)."""

    def __init__(self, folders: list[Path], settle_seconds: float, *, recursive: bool = True,
                 roots: list[Path] | None = None, skip: list[Path] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 writers: Callable[[set[InodeKey]], WriterScan] = open_for_writing) -> None:
        self.folders = folders
        self.settle_seconds = settle_seconds
        self.recursive = recursive
        self.roots = roots
        self.skip = [os.path.realpath(p) for p in (skip or [])]
        self.clock = clock
        self.writers = writers
        self.scans = 0
        self.pending = 0  # files seen but not ready yet (settling or held by a writer)
        self.busy = 0  # of those, held open for writing at the last scan
        self._settling: dict[Path, _Settling] = {}
        self._handed: set[tuple[int, int, int, int]] = set()
        self._missing_logged: set[Path] = set()

    # ---- walking -----------------------------------------------------------------------------
    def _walk(self) -> Iterator[tuple[Path, Path]]:
        for folder in self.folders:
            if not folder.is_dir():
                if folder not in self._missing_logged:
                    log.warning("watch folder %s does not exist (here); skipped", folder)
                    self._missing_logged.add(folder)
                continue
            self._missing_logged.discard(folder)
            for dirpath, dirnames, filenames in os.walk(folder):
                # Hidden names are temporary files of copy tools (rsync's .name.XXXX) or ours.
                dirnames[:] = [] if not self.recursive else sorted(
                    d for d in dirnames if not d.startswith(".")
                    and os.path.realpath(os.path.join(dirpath, d)) not in self.skip)
                for name in sorted(filenames):
                    if not name.startswith(".") and \
                            os.path.splitext(name)[1].lower() in VIDEO_EXTENSIONS:
                        yield Path(dirpath) / name, folder

    def _found(self, path: Path, root: Path) -> FoundFile | None:
        try:
            st = path.stat()
        except OSError:
            return None
        if not path.is_file():
            return None
        if self.roots is not None and not any(is_within(path, r) for r in self.roots):
            return None  # a symlink out of the allowed folders
        return FoundFile(path, root, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    # ---- one scan ----------------------------------------------------------------------------
    def scan(self) -> list[FoundFile]:
        """The files that became ready since the last scan (each handed out once)."""
        now = self.clock()
        self.scans += 1
        settled: list[FoundFile] = []
        present: set[Path] = set()
        for path, root in self._walk():
            found = self._found(path, root)
            if found is None or found.identity in self._handed:
                continue
            present.add(path)
            seen = self._settling.get(path)
            if seen is None or seen.identity != found.identity:
                self._settling[path] = _Settling(found.identity, now)
                continue
            seen.scans += 1
            if now - seen.since >= self.settle_seconds:
                settled.append(found)
        for gone in set(self._settling) - present:
            del self._settling[gone]
        ready = settled
        self.busy = 0
        if settled:
            writers = self.writers({f.inode for f in settled})
            ready = [f for f in settled if f.inode not in writers.busy]
            self.busy = len(settled) - len(ready)
        self.pending = len(self._settling) - len(ready)
        return ready

    def handed(self, found: FoundFile) -> None:
        """`found` is dealt with: never hand out this identity again."""
        self._handed.add(found.identity)
        self._settling.pop(found.path, None)

    def again(self, found: FoundFile) -> None:
        """`found` could not be dealt with now: it settles again from scratch."""
        self._settling.pop(found.path, None)
