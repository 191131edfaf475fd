"""Frame sampling: which moments of an ad to look at. The file is probed (probe.py), read by seeking
(decoders.py), and every sampled picture is measured (imaging.py) to drop black frames and
near-duplicates.

Scan modes (as users of the original service know them):
- "Tail Only": ~5 frames over the last 3 s; if they are one static end card, walk back in 2 s hops
  (up to 12 s from the end) until the scene changes, so the product scene is seen too.
- "Full Video": one frame every 2 s (at most 60), plus the last frame.
- "Express": the single sharpest non-black frame near the end.
- "extended_tail" / "full_video": denser samplings used by the runner's rescue attempts.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.decoders import FallbackReader
from adclf.pipeline.imaging import is_near_black, sharpness, small_grey, thumb_diff, thumbnail
from adclf.pipeline.probe import VideoInfo, probe
from adclf.pipeline.types import Frame

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

SCAN_MODES = ("Tail Only", "Full Video", "Express", "extended_tail", "full_video")


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
        self.reader = FallbackReader(info, threads)
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


def pick_spread(frames: list[Frame], cap: int) -> list[Frame]:
    """At most `cap` of the sampled frames spread over time, always including the last (the end
    card): the ones worth OCR or logo matching when there are more."""
    ordered = sorted(frames, key=lambda f: f.timestamp)
    if len(ordered) <= cap:
        return ordered
    if cap <= 1:
        return ordered[-1:]
    picks = {round(i * (len(ordered) - 1) / (cap - 1)) for i in range(cap)}
    return [ordered[i] for i in sorted(picks)]
