"""What the user typed after `adclf submit`: URLs, local files and folders, or server paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from adclf.domain import VIDEO_EXTENSIONS

Kind = Literal["url", "upload", "server_file", "server_folder"]


class SourceError(ValueError):
    """An input that cannot be submitted; nothing is sent when any input is bad."""


@dataclass
class Plan:
    urls: list[str] = field(default_factory=list)
    uploads: list[Path] = field(default_factory=list)
    server_files: list[str] = field(default_factory=list)
    server_folders: list[str] = field(default_factory=list)

    def count(self) -> int:
        return (len(self.urls) + len(self.uploads) + len(self.server_files)
                + len(self.server_folders))


def is_url(text: str) -> bool:
    return "://" in text and text.split("://", 1)[0].isalpha()


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_EXTENSIONS


def videos_in(folder: Path, recursive: bool) -> list[Path]:
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.is_file() and is_video(p))


def plan_sources(items: list[str], server_path: bool = False, recursive: bool = False) -> Plan:
    """Sort inputs into request kinds. Local inputs are checked here so that a typo fails before
    anything is uploaded."""
    plan = Plan()
    exts = " ".join(VIDEO_EXTENSIONS)
    for item in items:
        if is_url(item):
            scheme = item.split("://", 1)[0].lower()
            if scheme not in ("http", "https"):
                raise SourceError(f"{item}: only http(s) URLs can be submitted, not {scheme}://")
            plan.urls.append(item)
        elif server_path:
            # The server's disk is not visible from here: a video extension means a file.
            target = plan.server_files if is_video(Path(item)) else plan.server_folders
            target.append(item)
        else:
            path = Path(item).expanduser()
            if path.is_dir():
                videos = videos_in(path, recursive)
                if not videos:
                    raise SourceError(f"{item}: the folder has no video files ({exts})")
                plan.uploads.extend(videos)
            elif path.is_file():
                if not is_video(path):
                    raise SourceError(f"{item}: not a video file (expected one of {exts})")
                plan.uploads.append(path)
            elif path.exists():
                raise SourceError(f"{item}: not a regular file or folder")
            else:
                raise SourceError(f"{item}: no such local file or folder (use --server-path "
                                  "for a path on the server, or an http(s) URL)")
    return plan
