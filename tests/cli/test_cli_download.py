from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adclf.cli.download import save


def test_a_download_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "results.csv"
    assert save([b"a,b\n", b"1,2\n"], target) == 8
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert [p.name for p in target.parent.iterdir()] == ["results.csv"]


def test_a_broken_download_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"half"
        raise ConnectionError("server went away")

    with pytest.raises(ConnectionError):
        save(chunks(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]
