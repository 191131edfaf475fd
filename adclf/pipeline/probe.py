"""Probing: validate a video file and read its frame table (every frame's presentation time and the
keyframes) without decoding more than one frame.

PyAV first (exact timestamps from the demuxer); the ffprobe CLI for files PyAV refuses. Every file
is probed before decord touches it, because decord can crash the whole process on garbage input;
decoding one frame here proves the codec works."""

from __future__ import annotations

import logging
import math
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adclf.errors import PipelineError

log = logging.getLogger(__name__)

MAX_FRAMES_IN_TABLE = 2_000_000  # refuse absurd packet counts rather than exhaust memory

_REFUSED_FORMATS = ("tty", "image2", "_pipe", "lavfi", "ffmetadata", "srt", "webvtt", "ass")


@dataclass(frozen=True)
class VideoInfo:
    path: Path
    duration: float
    width: int
    height: int
    codec: str
    container: str
    timestamps: tuple[float, ...]  # presentation time of every frame, sorted (from the demuxer)
    keyframes: tuple[float, ...]
    probed_with: str  # "pyav" | "ffprobe"
    rotation: int = 0  # display rotation, degrees counter-clockwise (phone videos)
    stream: int = 0  # which of the file's video streams (cover art streams are skipped)

    @property
    def frame_count(self) -> int:
        return len(self.timestamps)


def _sniff(video: Path) -> None:
    """Cheap checks that give better reasons than a demuxer error."""
    if not video.exists():
        raise PipelineError(f"video file not found: {video.name}")
    if not video.is_file():
        raise PipelineError(f"not a regular file: {video.name}")
    size = video.stat().st_size
    if size == 0:
        raise PipelineError("the video file is empty (0 bytes)")
    with video.open("rb") as fh:
        head = fh.read(512).lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
        raise PipelineError("not a video: the file is an HTML/XML document")
    if head.startswith((b"{", b"[")):
        raise PipelineError("not a video: the file looks like JSON text")


def probe(video: Path) -> VideoInfo:
    """Validate a file and read its frame table without decoding more than one frame."""
    _sniff(video)
    try:
        return _probe_pyav(video)
    except PipelineError:
        raise
    except Exception as err:  # PyAV's errors are many; any of them means "try the CLI"
        log.info("PyAV could not probe %s (%s); trying ffprobe", video, err)
        pyav_error = err
    info = _probe_ffprobe(video)
    if info is None:
        raise PipelineError("not a readable video file: corrupt, truncated or not a video "
                            f"({short_error(pyav_error)})")
    return info


def short_error(err: BaseException) -> str:
    """A decoder's error as users should read it (the decoders word their failures with it too)."""
    text = str(err).strip() or type(err).__name__
    # PyAV prefixes an errno and appends the path; users only need the reason
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    return text.split(": '")[0][:200]


def _probe_pyav(video: Path) -> VideoInfo:
    import av

    with av.open(str(video), metadata_errors="ignore") as container:
        fmt = container.format.name or ""
        if any(tag in fmt for tag in _REFUSED_FORMATS):
            raise PipelineError(f"not a video: the file was recognised as {fmt!r}")
        # cover art in audio files is a one-picture "video" stream flagged attached_pic
        videos = [v for v in container.streams.video
                  if not v.disposition & av.stream.Disposition.attached_pic]
        if not videos:
            if container.streams.audio:
                raise PipelineError("the file has audio but no video stream")
            raise PipelineError("the file has no video stream")
        stream = videos[0]
        stream_no = list(container.streams.video).index(stream)
        ctx = stream.codec_context
        width, height = int(ctx.width or 0), int(ctx.height or 0)
        if width <= 0 or height <= 0:
            raise PipelineError("the video stream has no picture size (corrupt header?)")
        codec = ctx.name or "unknown"
        time_base = stream.time_base
        if time_base is None:
            raise PipelineError("the video stream has no time base (corrupt header?)")

        tb = float(time_base)  # Fraction arithmetic per packet costs more than the demuxing
        pts: list[float] = []
        keys: list[float] = []
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            t = packet.pts * tb
            pts.append(t)
            if packet.is_keyframe:
                keys.append(t)
            if len(pts) > MAX_FRAMES_IN_TABLE:
                raise PipelineError("the video is too long to sample")
    if not pts:
        raise PipelineError("no video frames could be read (corrupt or truncated file)")

    # Decoding one frame proves the codec works before decord (which may crash) sees the file.
    with av.open(str(video), metadata_errors="ignore") as container:
        stream = container.streams.video[stream_no]
        first = None
        try:
            first = next(iter(container.decode(stream)), None)
        except av.FFmpegError as err:
            raise PipelineError(f"the video cannot be decoded ({short_error(err)})") from err
        if first is None:
            raise PipelineError("no video frame could be decoded (corrupt or truncated file)")
        rotation = int(round(float(getattr(first, "rotation", 0) or 0) / 90.0)) * 90 % 360

    pts.sort()
    start = pts[0]
    stamps = tuple(t - start for t in pts)
    step = _median_step(stamps)
    return VideoInfo(
        path=video,
        duration=stamps[-1] + step,
        width=width,
        height=height,
        codec=codec,
        container=fmt,
        timestamps=stamps,
        keyframes=tuple(sorted(k - start for k in keys)) or (0.0,),
        probed_with="pyav",
        rotation=rotation,
        stream=stream_no,
    )


def _median_step(stamps: Sequence[float]) -> float:
    if len(stamps) < 2:
        return 0.04
    steps = np.diff(np.asarray(stamps[: 2000]))
    steps = steps[steps > 0]
    return float(np.median(steps)) if steps.size else 0.04


def _probe_ffprobe(video: Path) -> VideoInfo | None:
    if shutil.which("ffprobe") is None:
        return None
    cmd = [
        "ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=width,height,codec_name:format=format_name,duration",
        "-of", "default=noprint_wrappers=1", str(video),
    ]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    fields: dict[str, str] = {}
    for line in out.splitlines():
        key, _, value = line.partition("=")
        fields.setdefault(key.strip(), value.strip())
    try:
        width, height = int(fields["width"]), int(fields["height"])
        duration = float(fields.get("duration", "nan"))
    except (KeyError, ValueError):
        return None
    fmt = fields.get("format_name", "")
    if width <= 0 or height <= 0 or any(tag in fmt for tag in _REFUSED_FORMATS):
        return None
    if not math.isfinite(duration) or duration <= 0:
        duration = 0.04
    stamps = tuple(float(t) for t in np.arange(0.0, duration, 0.04))
    return VideoInfo(
        path=video, duration=duration, width=width, height=height,
        codec=fields.get("codec_name", "unknown"), container=fmt,
        timestamps=stamps or (0.0,), keyframes=(0.0,), probed_with="ffprobe",
    )
