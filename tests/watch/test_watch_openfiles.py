"""Writers seen through /proc: this process's own descriptors and another process's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adclf.watch.openfiles import open_for_writing

pytestmark = pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="Linux /proc")


def _key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def test_write_modes_are_busy_and_reads_are_not(tmp_path: Path) -> None:
    path = tmp_path / "a.mp4"
    path.write_bytes(b"x" * 10)
    key = _key(path)
    assert open_for_writing({key}).busy == set()
    with path.open("rb"):
        assert open_for_writing({key}).busy == set()
    with path.open("ab"):
        assert open_for_writing({key}).busy == {key}
    with path.open("r+b"):
        assert open_for_writing({key}).busy == {key}
    assert open_for_writing({key}).busy == set()
    assert open_for_writing(set()).busy == set()


def test_a_writer_in_another_process(tmp_path: Path) -> None:
    path = tmp_path / "b.mp4"
    path.write_bytes(b"")
    key = _key(path)
    child = subprocess.Popen([sys.executable, "-c",
                              f"f = open({str(path)!r}, 'ab'); import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while key not in open_for_writing({key}).busy:
            assert time.monotonic() < deadline, "the child's open file was not seen"
            time.sleep(0.05)
    finally:
        child.kill()
        child.wait()
    assert open_for_writing({key}).busy == set()
    assert os.getpid() > 0
