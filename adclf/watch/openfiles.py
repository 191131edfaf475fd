"""Which files some process holds open for writing, from Linux's /proc.

A copy that pauses (a slow network share, a stalled upload) can leave size and mtime unchanged
for longer than any settle time; the writer's open file descriptor is the one sign that the file
is not finished. Each /proc/<pid>/fd/<n> is stat'ed (its target's device and inode) and, for the
inodes asked about, /proc/<pid>/fdinfo/<n> tells the access mode.

Processes of other users cannot be inspected without privileges: they are counted in `hidden`
and otherwise ignored (the settle time still applies to their files). Where /proc does not exist
(macOS, for the CLI) nothing is known and only the settle time decides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

PROC = "/proc"
_ACCMODE = os.O_ACCMODE
_WRITE_MODES = (os.O_WRONLY, os.O_RDWR)

InodeKey = tuple[int, int]  # (st_dev, st_ino)


@dataclass
class WriterScan:
    busy: set[InodeKey] = field(default_factory=set)
    hidden: int = 0  # processes whose descriptors could not be read
    supported: bool = True


def _write_flags(pid: str, fd: str) -> bool:
    """True when descriptor `fd` of `pid` was opened for writing; True too when its fdinfo
    vanished or cannot be read (the inode matched already: "maybe busy" costs one more scan)."""
    try:
        with open(f"{PROC}/{pid}/fdinfo/{fd}", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags:"):
                    return (int(line.split()[1], 8) & _ACCMODE) in _WRITE_MODES
    except (OSError, ValueError, IndexError):
        return True
    return True


def open_for_writing(wanted: set[InodeKey]) -> WriterScan:
    """Of the inodes in `wanted`, those some process holds open with write access."""
    scan = WriterScan()
    if not wanted:
        return scan
    try:
        pids = [p for p in os.listdir(PROC) if p.isdigit()]
    except OSError:
        return WriterScan(supported=False)
    for pid in pids:
        fd_dir = f"{PROC}/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except PermissionError:
            scan.hidden += 1
            continue
        except OSError:  # the process ended meanwhile
            continue
        for fd in fds:
            try:
                st = os.stat(f"{fd_dir}/{fd}")
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in wanted and key not in scan.busy and _write_flags(pid, fd):
                scan.busy.add(key)
    return scan
