"""The video as the agent's tools see it: frames at chosen times (read by seeking, like the
sampler), black frames dropped, near-duplicates of frames this job already has reused, and every
new frame saved as an artifact and remembered in the job's context, as the pipeline's sweep
does, so the job page shows the frames the agent looked at."""

from __future__ import annotations

import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline import artifacts
from adclf.pipeline.context import JobContext
from adclf.pipeline.decoders import FallbackReader
from adclf.pipeline.imaging import is_near_black, small_grey, thumbnail
from adclf.pipeline.probe import VideoInfo, probe
from adclf.pipeline.types import Frame

# Frames read per time range: text-bearing shots last a second or more, and OCR costs ~0.3 s
# a frame on a small CPU.
RANGE_STEP = 0.5
MAX_RANGE_FRAMES = 6


class Footage:
    def __init__(self, ctx: JobContext, threads: int = 0) -> None:
        self.ctx = ctx
        self.info: VideoInfo = probe(ctx.video)
        self.reader = FallbackReader(self.info, threads)
        ctx.duration = round(self.info.duration, 3)

    @property
    def last_time(self) -> float:
        return self.info.timestamps[-1] if self.info.timestamps else self.ctx.duration

    def clamp(self, t: float) -> float:
        return min(max(0.0, float(t)), self.last_time)

    def span(self, start: float, end: float, cap: int = MAX_RANGE_FRAMES) -> list[float]:
        """Sample times over [start, end]: every RANGE_STEP seconds, at most `cap`, both ends
        included."""
        lo, hi = sorted((self.clamp(start), self.clamp(end)))
        if hi - lo < 1e-3:
            return [lo]
        count = min(cap, int((hi - lo) / RANGE_STEP) + 1)
        return [float(t) for t in np.linspace(lo, hi, max(2, count))]

    def frames(self, times: list[float], keep_black: bool = False) -> list[Frame]:
        """Distinct frames nearest to `times`, in time order; black ones left out unless asked
        for (a single look at a frame shows what is there, black or not)."""
        got = self.reader.read([self.clamp(t) for t in times])
        if len(got) != len(times):
            raise PipelineError("the video could not be decoded at the asked times")
        turns = self.info.rotation // 90
        out: list[Frame] = []
        for actual, image in got:
            if turns:
                image = np.ascontiguousarray(np.rot90(image, turns))
            if not keep_black and is_near_black(image, small_grey(image)):
                continue
            frame = self._register(Frame(timestamp=round(actual, 3), image=image))
            if all(f is not frame for f in out):
                out.append(frame)
        return sorted(out, key=lambda f: f.timestamp)

    def _register(self, frame: Frame) -> Frame:
        seen = self.ctx.seen
        thumb = thumbnail(frame.image)
        known = seen.match(thumb)
        if known is not None:
            return known
        artifacts.save_frame(frame, self.ctx.work_dir, len(seen.frames))
        seen.frames.append(frame)
        seen.thumbs.append(thumb)
        return frame
