"""Decoders: read the frames nearest to given times from a probed video, by seeking (never a full
decode). Frames come back RGB, scaled so the longest side is at most MAX_SIDE.

Readers, fastest first: decord (frame-accurate seeks, scales inside the decoder), PyAV (seeks to the
keyframe before each target and decodes forward only as far as needed), the ffmpeg CLI (one process
per frame; only for files the bundled decoders refuse). `FallbackReader` switches down that list
at the first failure."""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.probe import VideoInfo, short_error

log = logging.getLogger(__name__)

MAX_SIDE = 1280  # frames are kept at most this large; OCR and providers downscale further


def output_size(width: int, height: int, max_side: int = MAX_SIDE) -> tuple[int, int]:
    """Downscale so the longest side is at most `max_side`; even sizes keep scalers happy."""
    scale = min(1.0, max_side / max(width, height, 1))
    w = max(2, int(round(width * scale / 2)) * 2)
    h = max(2, int(round(height * scale / 2)) * 2)
    return w, h


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


class FallbackReader:
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
                    raise PipelineError(
                        f"the video cannot be decoded ({short_error(err)})") from err
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
