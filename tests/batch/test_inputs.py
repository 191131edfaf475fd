"""Listing a batch's inputs: folders, manifests (text, CSV), globs; refusals per input."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.batch.inputs import list_inputs
from adclf.config import Settings
from adclf.errors import BadInput, Forbidden


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    for name in ("one.mp4", "a/two.MOV", "a/b/three.webm", "a/notes.txt", "a/.hidden.mp4"):
        (root / name).write_bytes(b"x")
    return root


def _settings(root: Path) -> Settings:
    return Settings(ALLOWED_FOLDER_ROOTS=[str(root)], DATA_DIR=str(root.parent / "data"))


def test_folder_is_recursive_and_keeps_videos_only(tree: Path) -> None:
    got = list_inputs(str(tree), _settings(tree), restrict=True)
    assert [Path(i.value).name for i in got] == ["three.webm", "two.MOV", "one.mp4"]  # by path
    assert {i.kind for i in got} == {"file"} and not any(i.error for i in got)


def test_folder_outside_the_roots_is_refused_like_by_folder(tree: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(Forbidden):
        list_inputs(str(other), _settings(tree), restrict=True)
    # the command-line driver runs with the operator's rights
    with pytest.raises(BadInput):  # empty folder
        list_inputs(str(other), _settings(tree), restrict=False)


def test_text_manifest_paths_urls_and_refusals(tree: Path, tmp_path: Path) -> None:
    manifest = tree / "list.txt"
    manifest.write_text("# ads\none.mp4\n\n/etc/passwd.mp4\nhttps://ads.example.com/x.mp4\n"
                        "ftp://ads.example.com/y.mp4\n" f"{tree}/missing.mp4\none.mp4\n")
    got = list_inputs(str(manifest), _settings(tree), restrict=True)
    by = {i.value: i for i in got}
    assert list(by) == [str(tree / "one.mp4"), "/etc/passwd.mp4",
                        "https://ads.example.com/x.mp4", "ftp://ads.example.com/y.mp4",
                        str(tree / "missing.mp4")]  # relative to the manifest, deduplicated
    assert "outside the allowed folders" in (by["/etc/passwd.mp4"].error or "")
    assert by["https://ads.example.com/x.mp4"].kind == "url"
    assert by["https://ads.example.com/x.mp4"].error is None
    assert "http and https" in (by["ftp://ads.example.com/y.mp4"].error or "")
    assert "no such file" in (by[str(tree / "missing.mp4")].error or "")
    assert by[str(tree / "one.mp4")].error is None


def test_url_policy_applies_to_manifest_urls(tree: Path) -> None:
    manifest = tree / "list.txt"
    manifest.write_text("http://127.0.0.1:9/ad.mp4\nhttp://169.254.169.254/latest\n")
    got = list_inputs(str(manifest), _settings(tree), restrict=True)
    assert all(i.error for i in got), got


def test_the_driver_leaves_missing_files_to_the_read_stage(tree: Path) -> None:
    manifest = tree / "list.txt"
    manifest.write_text(f"{tree}/missing.mp4\n/elsewhere/x.mp4\n")
    got = list_inputs(str(manifest), _settings(tree), restrict=False)
    assert [i.error for i in got] == [None, None]


def test_csv_manifest_reads_its_input_column(tree: Path) -> None:
    manifest = tree / "list.csv"
    manifest.write_text("id,path,note\n1,one.mp4,a\n2,a/two.MOV,b\n")
    got = list_inputs(str(manifest), _settings(tree), restrict=True)
    assert [Path(i.value).name for i in got] == ["one.mp4", "two.MOV"]


def test_one_column_csv_manifest(tree: Path) -> None:
    manifest = tree / "one.csv"
    manifest.write_text("path\none.mp4\na/two.MOV\n")
    got = list_inputs(str(manifest), _settings(tree), restrict=True)
    assert [Path(i.value).name for i in got] == ["one.mp4", "two.MOV"]


def test_glob_is_confined_to_the_roots(tree: Path) -> None:
    got = list_inputs(f"{tree}/**/*.webm", _settings(tree), restrict=True)
    assert [Path(i.value).name for i in got] == ["three.webm"]
    with pytest.raises(Forbidden):
        list_inputs("/etc/**/*.mp4", _settings(tree), restrict=True)
    with pytest.raises(BadInput):
        list_inputs("*.mp4", _settings(tree), restrict=True)
