"""Where a job's video comes from: a file already on this node, or a URL fetched safely."""

from __future__ import annotations

from pathlib import Path

from adclf.config import Settings
from adclf.domain import JobSpec
from adclf.errors import PipelineError


def resolve_source(spec: JobSpec, work_dir: Path, settings: Settings) -> Path:
    """A local path to a non-empty regular file holding the job's video.

    "file"/"upload" sources were validated (allowed roots, upload dir) when the job was submitted;
    this re-checks what can change in between (deleted, truncated, replaced by a directory).
    "url" sources are downloaded into `work_dir/source/` by the SSRF-safe fetcher."""
    if spec.source_kind == "url":
        # imported here so the network stack is loaded only by jobs that need it
        from adclf.net.fetch import download

        dest = work_dir / "source"
        dest.mkdir(parents=True, exist_ok=True)
        return check_local_file(download(spec.source, dest, settings))
    if spec.source_kind in ("file", "upload"):
        path = Path(spec.source)
        if not path.is_absolute():
            raise PipelineError(f"the video path must be absolute: {spec.source!r}")
        return check_local_file(path)
    raise PipelineError(f"unknown source kind {spec.source_kind!r}")


def check_local_file(path: Path) -> Path:
    shown = spec_name(path)
    try:
        if not path.exists():
            raise PipelineError(f"video file not found: {shown}")
        if not path.is_file():
            raise PipelineError(f"not a regular file: {shown}")
        size = path.stat().st_size
    except OSError as err:
        raise PipelineError(f"cannot read the video file {shown}: {err.strerror}") from err
    if size == 0:
        raise PipelineError(f"the video file is empty (0 bytes): {shown}")
    try:
        with path.open("rb"):
            pass
    except OSError as err:
        raise PipelineError(f"cannot open the video file {shown}: {err.strerror}") from err
    return path


def spec_name(path: Path) -> str:
    """Only the file name goes into user-facing errors: server directory layouts stay private."""
    return path.name or str(path)
