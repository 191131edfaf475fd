"""Server paths: only inside ALLOWED_FOLDER_ROOTS, after `..` and symlinks are resolved."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import pytest

from adclf.config import Settings
from adclf.errors import BadInput, Forbidden, NotFound
from adclf.security.paths import DISABLED_MESSAGE, is_within, resolve_allowed_path

WANTS: tuple[Literal["file", "dir"], ...] = ("file", "dir")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """<tmp>/data/root (allowed) with files and hostile symlinks; <tmp>/data/root2 and
    <tmp>/secret outside it."""
    root = tmp_path / "data" / "root"
    (root / "ads").mkdir(parents=True)
    (root / "ads" / "a.mp4").write_bytes(b"video")
    (root / "ads" / "inner-link.mp4").symlink_to(root / "ads" / "a.mp4")
    sibling = tmp_path / "data" / "root2"
    sibling.mkdir()
    (sibling / "b.mp4").write_bytes(b"other")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("x")
    (root / "escape-file").symlink_to(secret / "passwd")
    (root / "escape-dir").symlink_to(secret, target_is_directory=True)
    (root / "dangling").symlink_to(secret / "missing")
    (root / "loop").symlink_to(root / "loop")
    return tmp_path


def _settings(tmp: Path, *roots: Path) -> Settings:
    values: dict[str, Any] = {
        "_env_file": None,
        "DATA_DIR": tmp / "state",
        "ALLOWED_FOLDER_ROOTS": ",".join(str(r) for r in roots),
    }
    return Settings(**values)


def escapes(t: Path) -> list[tuple[str, type[Exception]]]:
    root = t / "data" / "root"
    return [
        (f"{root}/../root2/b.mp4", Forbidden),
        (f"{root}/ads/../../root2/b.mp4", Forbidden),
        (f"{root}/../../secret/passwd", Forbidden),
        (f"{root}/escape-file", Forbidden),
        (f"{root}/escape-dir/passwd", Forbidden),
        (f"{root}/dangling", Forbidden),
        (f"{t}/data/root2/b.mp4", Forbidden),  # sibling whose name starts with the root's
        (f"{t}/data/root2", Forbidden),
        (f"{t}/data", Forbidden),
        ("/etc/passwd", Forbidden),
        ("/", Forbidden),
        ("//etc/passwd", Forbidden),
        ("/proc/self/root/etc/passwd", Forbidden),
        ("ads/a.mp4", BadInput),
        ("./ads/a.mp4", BadInput),
        ("../secret/passwd", BadInput),
        ("~/secret", BadInput),
        ("~root/.ssh/id_rsa", BadInput),
        (f"{root}/ads/a.mp4\x00.txt", BadInput),
        ("/" + "a/" * 2100, BadInput),
        ("", BadInput),
        (f"file://{root}/ads/a.mp4", BadInput),
        (f"{root}/loop", BadInput),
    ]


def test_escapes_are_refused(tree: Path) -> None:
    settings = _settings(tree, tree / "data" / "root")
    cases = escapes(tree)
    assert len(cases) >= 10
    allowed = []
    for raw, error in cases:
        for want in WANTS:
            try:
                resolve_allowed_path(raw, settings, want=want)
            except error:
                pass
            else:
                allowed.append((raw, want))
    assert allowed == []


def test_allowed_paths(tree: Path) -> None:
    root = (tree / "data" / "root").resolve()
    settings = _settings(tree, root)
    assert resolve_allowed_path(f"{root}/ads/a.mp4", settings, want="file") == root / "ads/a.mp4"
    assert resolve_allowed_path(f"{root}/ads", settings, want="dir") == root / "ads"
    assert resolve_allowed_path(str(root), settings, want="dir") == root
    assert resolve_allowed_path(f"{root}/ads/./../ads/a.mp4", settings, want="file") == (
        root / "ads/a.mp4"
    )
    # a symlink that stays inside the root is fine and comes back resolved
    assert resolve_allowed_path(f"{root}/ads/inner-link.mp4", settings, want="file") == (
        root / "ads/a.mp4"
    )


def test_wrong_kind_and_missing(tree: Path) -> None:
    root = tree / "data" / "root"
    settings = _settings(tree, root)
    with pytest.raises(BadInput, match="not a regular file"):
        resolve_allowed_path(f"{root}/ads", settings, want="file")
    with pytest.raises(BadInput, match="not a directory"):
        resolve_allowed_path(f"{root}/ads/a.mp4", settings, want="dir")
    with pytest.raises(NotFound):
        resolve_allowed_path(f"{root}/ads/missing.mp4", settings, want="file")


def test_missing_outside_is_forbidden_not_notfound(tree: Path) -> None:
    # no existence oracle outside the roots
    settings = _settings(tree, tree / "data" / "root")
    with pytest.raises(Forbidden):
        resolve_allowed_path("/nonexistent/x.mp4", settings, want="file")


def test_disabled_without_roots(tree: Path) -> None:
    settings = _settings(tree)
    with pytest.raises(Forbidden) as info:
        resolve_allowed_path(f"{tree}/data/root/ads/a.mp4", settings, want="file")
    assert str(info.value) == DISABLED_MESSAGE
    assert "ALLOWED_FOLDER_ROOTS=" in DISABLED_MESSAGE


def test_several_roots_and_symlinked_root(tree: Path) -> None:
    link_root = tree / "link-to-root2"
    link_root.symlink_to(tree / "data" / "root2", target_is_directory=True)
    settings = _settings(tree, tree / "data" / "root", link_root)
    assert resolve_allowed_path(f"{link_root}/b.mp4", settings, want="file") == (
        (tree / "data" / "root2" / "b.mp4").resolve()
    )
    assert resolve_allowed_path(f"{tree}/data/root2/b.mp4", settings, want="file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read everything")
def test_unreadable(tree: Path) -> None:
    root = tree / "data" / "root"
    f = root / "ads" / "a.mp4"
    f.chmod(0)
    with pytest.raises(BadInput, match="cannot read"):
        resolve_allowed_path(str(f), _settings(tree, root), want="file")


def test_is_within(tree: Path) -> None:
    root = tree / "data" / "root"
    assert is_within(root / "ads" / "a.mp4", root)
    assert is_within(root, root)
    assert not is_within(tree / "data" / "root2" / "b.mp4", root)
    assert not is_within(root / ".." / "root2", root)
    assert not is_within(root / "escape-file", root)
    assert not is_within(root / "escape-dir" / "passwd", root)
    assert is_within(root / "ads" / "not-yet-there.json", root)
