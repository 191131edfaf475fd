"""The scanner on real files: settle time, writers, sub-folders, hidden and foreign files, and
each file handed out once. The clock is the test's, so settle times cost no waiting."""

from __future__ import annotations

import os
from pathlib import Path

from adclf.watch.scanner import FolderScanner


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _scanner(folder: Path, clock: Clock, **kw: object) -> FolderScanner:
    return FolderScanner([folder], 5.0, clock=clock, **kw)  # type: ignore[arg-type]


def test_a_file_is_ready_once_it_stops_changing_for_the_settle_time(tmp_path: Path) -> None:
    clock = Clock()
    scanner = _scanner(tmp_path, clock)
    video = tmp_path / "ad.mp4"
    video.write_bytes(b"a" * 100)
    assert scanner.scan() == [] and scanner.pending == 1  # first sight: settling
    clock.now += 3
    assert scanner.scan() == []
    with video.open("ab") as fh:  # grows: settles again from now
        fh.write(b"b")
    clock.now += 3
    assert scanner.scan() == []
    clock.now += 5.1
    ready = scanner.scan()
    assert [f.path for f in ready] == [video] and ready[0].size == 101
    scanner.handed(ready[0])
    clock.now += 10
    assert scanner.scan() == [] and scanner.pending == 0
    os.rename(video, tmp_path / "renamed.mp4")  # same file: not handed out again
    clock.now += 10
    assert scanner.scan() == [] and scanner.scan() == []


def test_a_file_held_open_for_writing_waits_however_still_it_is(tmp_path: Path) -> None:
    clock = Clock()
    scanner = _scanner(tmp_path, clock)
    video = tmp_path / "slow.mp4"
    with video.open("wb") as fh:
        fh.write(b"x" * 50)
        fh.flush()
        scanner.scan()
        clock.now += 60
        assert scanner.scan() == [] and scanner.busy == 1 and scanner.pending == 1
    clock.now += 1
    assert [f.path for f in scanner.scan()] == [video]


def test_sub_folders_hidden_names_and_other_files(tmp_path: Path) -> None:
    clock = Clock()
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".partial").mkdir()
    (tmp_path / "results").mkdir()
    for rel in ("sub/deeper/a.MOV", "b.mp4", ".c.mp4", ".partial/d.mp4", "notes.txt",
                "results/e.mp4"):
        (tmp_path / rel).write_bytes(b"v")
    scanner = _scanner(tmp_path, clock, skip=[tmp_path / "results"])
    scanner.scan()
    clock.now += 6
    assert sorted(f.path.relative_to(tmp_path).as_posix() for f in scanner.scan()) == \
        ["b.mp4", "sub/deeper/a.MOV"]
    flat = _scanner(tmp_path, clock, recursive=False)
    flat.scan()
    clock.now += 6
    assert [f.path.name for f in flat.scan()] == ["b.mp4"]


def test_a_symlink_out_of_the_allowed_roots_is_ignored(tmp_path: Path) -> None:
    clock = Clock()
    root = tmp_path / "root"
    (root / "in").mkdir(parents=True)
    outside = tmp_path / "secret.mp4"
    outside.write_bytes(b"s")
    (root / "in" / "link.mp4").symlink_to(outside)
    (root / "in" / "own.mp4").write_bytes(b"o")
    scanner = _scanner(root / "in", clock, roots=[root])
    scanner.scan()
    clock.now += 6
    assert [f.path.name for f in scanner.scan()] == ["own.mp4"]


def test_again_restarts_the_settle_time_and_a_missing_folder_is_no_error(tmp_path: Path
                                                                         ) -> None:
    clock = Clock()
    scanner = FolderScanner([tmp_path / "missing", tmp_path], 5.0, clock=clock)
    (tmp_path / "a.mp4").write_bytes(b"a")
    scanner.scan()
    clock.now += 6
    ready = scanner.scan()
    assert len(ready) == 1
    scanner.again(ready[0])
    assert scanner.scan() == []
    clock.now += 6
    assert len(scanner.scan()) == 1
