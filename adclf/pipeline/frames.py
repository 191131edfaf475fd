"""Frame sampling: which moments of an ad to look at, read by seeking (never a full decode).

Readers, fastest first: decord (frame-accurate seeks, scales inside the decoder), PyAV (seeks to the
keyframe before each target and decodes forward only as far as needed), the ffmpeg CLI (one process
per frame; only for files the bundled decoders refuse). Every file is probed with PyAV (or ffprobe)
before decord touches it, because decord can crash the whole process on garbage input.

Scan modes (as users of the original service know them):
- "Tail Only": ~5 frames over the last 3 s; if they are one static end card, walk back in 2 s hops
  (up to 12 s from the end) until the scene changes, so the product scene is seen too.
- "Full Video": one frame every 2 s (at most 60), plus the last frame.
- "Express": the single sharpest non-black frame near the end.
- "extended_tail" / "full_video": denser samplings used by the runner's rescue attempts.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.types import Frame

log = logging.getLogger(__name__)

MAX_SIDE = 1280  # frames are kept at most this large; OCR and providers downscale further
TAIL_SECONDS = 3.0
TAIL_FRAMES = 5
WALK_BACK_HOP = 2.0
WALK_BACK_LIMIT = 12.0
FULL_VIDEO_STEP = 2.0
FULL_VIDEO_CAP = 60
EXTENDED_TAIL_SECONDS = 30.0
EXTENDED_TAIL_STEP = 1.0
# mean abs difference of 64x36 grey thumbnails (0..1) below which two frames are one
DUPLICATE_DIFF = 0.012
STATIC_DIFF = 0.03  # tail frames closer than this to each other are one static card
MAX_FRAMES_IN_TABLE = 2_000_000  # refuse absurd packet counts rather than exhaust memory

SCAN_MODES = ("Tail Only", "Full Video", "Express", "extended_tail", "full_video")

_REFUSED_FORMATS = ("tty", "image2", "_pipe", "lavfi", "ffmetadata", "srt", "webvtt", "ass")


# --------------------------------------------------------------------------- image measures


def small_grey(image: np.ndarray, width: int = 320) -> np.ndarray:
    """One cheap downscaled grey copy from which every measure below is taken (grey first, so
    the area filter works on one channel instead of three)."""
    h, w = image.shape[:2]
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    if w <= width:
        return grey
    height = max(1, round(h * width / w))
    return cv2.resize(grey, (width, height), interpolation=cv2.INTER_AREA)


def thumbnail(image: np.ndarray, grey: np.ndarray | None = None) -> np.ndarray:
    """Fixed-size grey thumbnail for near-duplicate tests (aspect ignored on purpose)."""
    grey = small_grey(image) if grey is None else grey
    return cv2.resize(grey, (64, 36), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def thumb_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(a - b)))


def is_near_black(image: np.ndarray, grey: np.ndarray | None = None) -> bool:
    """Dark AND flat. A black end card with white text is dark on average but has strong
    contrast (its bright text pixels lift the top percentile), so it is kept."""
    grey = small_grey(image) if grey is None else grey
    if float(grey.mean()) >= 35:
        return False
    low, high = np.percentile(grey, (0.5, 99.5))
    return float(high - low) < 40


def sharpness(image: np.ndarray, grey: np.ndarray | None = None) -> float:
    grey = small_grey(image) if grey is None else grey
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


# --------------------------------------------------------------------------- probing


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


def output_size(width: int, height: int, max_side: int = MAX_SIDE) -> tuple[int, int]:
    """Downscale so the longest side is at most `max_side`; even sizes keep scalers happy."""
    scale = min(1.0, max_side / max(width, height, 1))
    w = max(2, int(round(width * scale / 2)) * 2)
    h = max(2, int(round(height * scale / 2)) * 2)
    return w, h


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
        raise PipelineError(
            f"not a readable video file: corrupt, truncated or not a video ({_short(pyav_error)})"
        )
    return info


def _short(err: BaseException) -> str:
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
            raise PipelineError(f"the video cannot be decoded ({_short(err)})") from err
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


# --------------------------------------------------------------------------- readers


class FrameReader(Protocol):
    name: str

    def read(self, timestamps: Sequence[float]) -> list[tuple[float, np.ndarray]]:
        """Frames nearest to (at or after) each timestamp, as (actual timestamp, RGB image)."""
        ...


def _nearest_indices(table: Sequence[float], timestamps: Sequence[float]) -> list[int]:
    arr = np.asarray(table)
    idx = np.searchsorted(arr, np.asarray(timestamps, dtype=np.float64) - 1e-3, side="left")
    return [int(min(max(i, 0), len(arr) - 1)) for i in idx]


class DecordReader:
    name = "decord"

    def __init__(self, info: VideoInfo, threads: int = 0) -> None:
        import decord

        w, h = output_size(info.width, info.height)
        kwargs: dict[str, int] = {"num_threads": threads}
        if (w, h) != (info.width, info.height):
            kwargs.update(width=w, height=h)
        self._vr = decord.VideoReader(str(info.path), ctx=decord.cpu(0), **kwargs)
        n = len(self._vr)
        if n <= 0:
            raise PipelineError("decord found no frames")
        stamps = self._vr.get_frame_timestamp(np.arange(n))
        self._starts = np.asarray(stamps)[:, 0] - float(np.asarray(stamps)[0, 0])

    def read(self, timestamps: Sequence[float]) -> list[tuple[float, np.ndarray]]:
        indices = _nearest_indices(list(self._starts), timestamps)
        unique = sorted(set(indices))
        batch = self._vr.get_batch(unique).asnumpy()
        by_index = {i: batch[k] for k, i in enumerate(unique)}
        return [(float(self._starts[i]), by_index[i]) for i in indices]


class PyAVReader:
    """Seeks to the keyframe before a target only when the decoder is not already before it."""

    name = "pyav"

    def __init__(self, info: VideoInfo, threads: int = 0) -> None:
        self._info = info
        self._size = output_size(info.width, info.height)
        self._threads = threads

    def read(self, timestamps: Sequence[float]) -> list[tuple[float, np.ndarray]]:
        import av

        info = self._info
        targets = [info.timestamps[i] for i in _nearest_indices(info.timestamps, timestamps)]
        keys = np.asarray(info.keyframes)
        found: dict[float, tuple[float, np.ndarray]] = {}
        with av.open(str(info.path), metadata_errors="ignore") as container:
            stream = container.streams.video[info.stream]
            stream.thread_type = "AUTO"
            stream.thread_count = self._threads
            time_base = stream.time_base
            assert time_base is not None
            origin = float(stream.start_time * time_base) if stream.start_time else 0.0
            position = math.inf  # time of the last decoded frame; inf forces the first seek
            frames = None
            last: tuple[float, np.ndarray] | None = None
            for target in sorted(set(targets)):
                key_before = float(keys[max(0, int(np.searchsorted(keys, target + 1e-3)) - 1)])
                if frames is None or position > target or key_before > position + 1e-3:
                    container.seek(
                        int((key_before + origin) / float(time_base)), stream=stream,
                        backward=True,
                    )
                    frames = container.decode(stream)
                    position = -math.inf
                for frame in frames:
                    if frame.pts is None:
                        continue
                    position = float(frame.pts * time_base) - origin
                    if position >= target - 1e-3:
                        last = (position, self._to_rgb(frame))
                        break
                else:
                    frames = None  # end of stream: keep the last frame we reached
                if last is not None:
                    found[target] = last
        if not found:
            raise PipelineError("no frame could be decoded at the sampled times")
        return _fill(targets, found)

    def _to_rgb(self, frame: object) -> np.ndarray:
        w, h = self._size
        image: np.ndarray = frame.to_ndarray(format="rgb24", width=w, height=h)  # type: ignore[attr-defined]
        return image


class FfmpegCliReader:
    """One `ffmpeg -ss` per frame: slow but tolerant; the reader of last resort."""

    name = "ffmpeg"

    def __init__(self, info: VideoInfo) -> None:
        if shutil.which("ffmpeg") is None:
            raise PipelineError("ffmpeg is not installed")
        self._info = info
        self._size = output_size(info.width, info.height)

    def read(self, timestamps: Sequence[float]) -> list[tuple[float, np.ndarray]]:
        w, h = self._size
        got: dict[float, tuple[float, np.ndarray]] = {}
        for t in sorted(set(timestamps)):
            at = max(0.0, min(t, self._info.duration - 0.05))
            cmd = [
                # rotation is applied by the sampler for every reader alike
                "ffmpeg", "-v", "error", "-noautorotate", "-ss", f"{at:.3f}",
                "-i", str(self._info.path),
                "-frames:v", "1", "-vf", f"scale={w}:{h}", "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-",
            ]
            try:
                raw = subprocess.run(cmd, capture_output=True, timeout=60, check=False).stdout
            except (OSError, subprocess.TimeoutExpired):
                continue
            if len(raw) >= w * h * 3:
                got[t] = (at, np.frombuffer(raw[: w * h * 3], np.uint8).reshape(h, w, 3).copy())
        if not got:
            raise PipelineError("ffmpeg could not decode any frame")
        return _fill(timestamps, got)


def _fill(
    wanted: Sequence[float], found: dict[float, tuple[float, np.ndarray]]
) -> list[tuple[float, np.ndarray]]:
    """One result per wanted time: a time that could not be decoded (damaged stretch) gets the
    nearest frame that could."""
    return [found.get(t) or found[min(found, key=lambda k: abs(k - t))] for t in wanted]


def open_reader(info: VideoInfo, threads: int = 0) -> FrameReader:
    if info.probed_with == "pyav" and (info.rotation or info.stream):
        # decord applies the display rotation itself (and scales before it), the other readers
        # do not: rotated (phone) videos take PyAV so that the sampler rotates exactly once;
        # decord also cannot be told which video stream to read
        return PyAVReader(info, threads)
    if info.probed_with == "pyav":
        try:
            return DecordReader(info, threads)
        except Exception as err:  # decord raises its own DECORDError and plain RuntimeErrors
            log.info("decord cannot open %s (%s); using PyAV", info.path, err)
        return PyAVReader(info, threads)
    return FfmpegCliReader(info)


class _FallbackReader:
    """decord → PyAV → ffmpeg CLI, switching for good at the first failure."""

    def __init__(self, info: VideoInfo, threads: int = 0) -> None:
        self._info = info
        self._threads = threads
        self._reader: FrameReader = open_reader(info, threads)

    @property
    def name(self) -> str:
        return self._reader.name

    def read(self, timestamps: Sequence[float]) -> list[tuple[float, np.ndarray]]:
        while True:
            try:
                return self._reader.read(timestamps)
            except Exception as err:
                nxt = self._next()
                if nxt is None:
                    if isinstance(err, PipelineError):
                        raise
                    raise PipelineError(f"the video cannot be decoded ({_short(err)})") from err
                log.info("%s failed on %s (%s); trying %s", self._reader.name, self._info.path,
                         err, nxt.name)
                self._reader = nxt

    def _next(self) -> FrameReader | None:
        try:
            if self._reader.name == "decord":
                return PyAVReader(self._info, self._threads)
            if self._reader.name == "pyav":
                return FfmpegCliReader(self._info)
        except PipelineError:
            return None
        return None


# --------------------------------------------------------------------------- sampling


@dataclass
class _Shot:
    timestamp: float
    image: np.ndarray
    thumb: np.ndarray
    black: bool
    sharpness: float

    @classmethod
    def of(cls, timestamp: float, image: np.ndarray) -> _Shot:
        grey = small_grey(image)
        return cls(timestamp, image, thumbnail(image, grey), is_near_black(image, grey),
                   sharpness(image, grey))


class VideoFrameSource:
    """`FrameSource` over real files. One instance can serve many videos (it holds no state).
    `threads` caps decoder threads (0: the decoder's default, one per core)."""

    def __init__(self, threads: int = 0) -> None:
        self.threads = threads

    def sample(self, video: Path, scan_mode: str) -> tuple[list[Frame], float]:
        info = probe(video)
        session = _Session(info, self.threads)
        if scan_mode == "Tail Only":
            shots = session.tail_only()
        elif scan_mode == "Full Video" or scan_mode == "full_video":
            shots = session.full_video()
        elif scan_mode == "Express":
            shots = session.express()
        elif scan_mode == "extended_tail":
            shots = session.extended_tail()
        else:
            raise PipelineError(f"unknown scan mode {scan_mode!r}; choose one of {SCAN_MODES}")
        if not shots:
            raise PipelineError("no usable frames: every sampled frame is black")
        frames = [
            Frame(timestamp=round(s.timestamp, 3), image=s.image, index=i,
                  sharpness=s.sharpness)
            for i, s in enumerate(shots)
        ]
        return frames, round(info.duration, 3)

    def extended_tail(self, video: Path) -> tuple[list[Frame], float]:
        return self.sample(video, "extended_tail")

    def full_video(self, video: Path) -> tuple[list[Frame], float]:
        return self.sample(video, "full_video")


class _Session:
    def __init__(self, info: VideoInfo, threads: int = 0) -> None:
        self.info = info
        self.reader = _FallbackReader(info, threads)
        self._cache: dict[float, _Shot] = {}

    @property
    def last_time(self) -> float:
        return self.info.timestamps[-1]

    def shots(self, timestamps: Sequence[float]) -> list[_Shot]:
        clamped = [min(max(0.0, t), self.last_time) for t in timestamps]
        wanted = [t for t in clamped if t not in self._cache]
        if wanted:
            got = self.reader.read(wanted)
            if len(got) != len(wanted):
                raise PipelineError("the video could not be decoded at the sampled times")
            turns = self.info.rotation // 90
            for t, (actual, image) in zip(wanted, got, strict=True):
                if turns:
                    image = np.ascontiguousarray(np.rot90(image, turns))
                self._cache[t] = _Shot.of(actual, image)
        return [self._cache[t] for t in clamped]

    def snap(self, t: float, tolerance: float) -> float:
        """Move a sample time onto a keyframe when one is that close: a keyframe decodes alone,
        any other frame costs every frame since the previous keyframe."""
        keys = self.info.keyframes
        i = bisect.bisect_left(keys, t)
        near = [k for k in keys[max(0, i - 1): i + 1] if abs(k - t) <= tolerance]
        return min(near, key=lambda k: abs(k - t)) if near else t

    def tail_times(self) -> list[float]:
        """~5 times over the last 3 s, starting at the latest keyframe 1.5..3 s before the end
        when there is one (halves the decoding on common 2 s keyframe intervals)."""
        end = self.last_time
        keys = [k for k in self.info.keyframes if end - TAIL_SECONDS <= k <= end - 1.5]
        start = keys[-1] if keys else end - TAIL_SECONDS + 0.2
        return _spread(start, end, TAIL_FRAMES)

    def tail_only(self) -> list[_Shot]:
        end = self.last_time
        tail = self.shots(self.tail_times())
        lit = [s for s in tail if not s.black]
        card = lit[-1] if lit else None
        static = card is None or all(thumb_diff(s.thumb, card.thumb) < STATIC_DIFF for s in lit)
        picked = list(lit)
        if static:
            hop = TAIL_SECONDS - 1.0 + WALK_BACK_HOP
            while hop <= WALK_BACK_LIMIT + 1e-6 and end - hop >= 0:
                (shot,) = self.shots([self.snap(end - hop, 0.6)])
                hop += WALK_BACK_HOP
                if shot.black:
                    continue
                if card is None:
                    card = shot  # the video ends in black: the last lit frame is the end card
                    picked.append(shot)
                    continue
                if thumb_diff(shot.thumb, card.thumb) >= STATIC_DIFF:
                    picked.append(shot)
                    break
        if not picked:
            return _distinct(self.full_video())
        return _distinct(picked)

    def full_video(self) -> list[_Shot]:
        end = self.last_time
        count = min(FULL_VIDEO_CAP, int(end // FULL_VIDEO_STEP) + 1)
        times = (
            [i * FULL_VIDEO_STEP for i in range(count)]
            if count * FULL_VIDEO_STEP > end
            else _spread(0.0, end, count)
        )
        times = [self.snap(t, 0.6) for t in times]
        times.append(end)
        return _distinct([s for s in self.shots(times) if not s.black])

    def extended_tail(self) -> list[_Shot]:
        end = self.last_time
        start = max(0.0, end - EXTENDED_TAIL_SECONDS)
        count = max(2, int((end - start) / EXTENDED_TAIL_STEP) + 1)
        times = [self.snap(t, 0.3) for t in _spread(start, end, count)]
        return _distinct([s for s in self.shots(times) if not s.black])

    def express(self) -> list[_Shot]:
        lit = [s for s in self.shots(self.tail_times()) if not s.black]
        if not lit:
            lit = [s for s in self.tail_only() if not s.black]
        if not lit:
            return []
        best = max(lit, key=lambda s: (s.sharpness, s.timestamp))
        return [best]


def _spread(start: float, end: float, count: int) -> list[float]:
    start = max(0.0, start)
    if count <= 1 or end <= start:
        return [end]
    return [float(t) for t in np.linspace(start, end, count)]


def _distinct(shots: list[_Shot]) -> list[_Shot]:
    """Sorted by time, without near-duplicates. Of a run of duplicates the LATEST is kept: a card
    that fades or slides in is complete at its end."""
    kept: list[_Shot] = []
    for shot in sorted(shots, key=lambda s: s.timestamp, reverse=True):
        if any(
            abs(k.timestamp - shot.timestamp) < 1e-6
            or thumb_diff(k.thumb, shot.thumb) < DUPLICATE_DIFF
            for k in kept
        ):
            continue
        kept.append(shot)
    return kept[::-1]
