"""One attempt's evidence: sample frames, keep the ones this job has not seen (saved as
artifacts), OCR a spread of them, and look for logos. A rescue attempt keeps the frames of the
attempt before it and adds its own; no frame is read twice in a job."""

from __future__ import annotations

from adclf.domain import Stage
from adclf.pipeline import artifacts
from adclf.pipeline.context import JobContext
from adclf.pipeline.frames import pick_spread
from adclf.pipeline.imaging import thumbnail
from adclf.pipeline.logo_step import find_logos
from adclf.pipeline.ocr import get_ocr_engine, merge_lines
from adclf.pipeline.types import Evidence, Frame, FrameSource, OcrEngine, OcrLine

# Distinct frames OCR'd per attempt, by ocr_mode: text-bearing ad frames are few, and the end
# card (always included) carries the brand.
OCR_FRAME_CAP = {"Fast": 6, "Detailed": 12}
RESCUE_OCR_FRAME_CAP = {"Fast": 8, "Detailed": 16}


class Sweep:
    """Gathers evidence for a job's attempts; the OCR engine is loaded at its first use."""

    def __init__(self, ctx: JobContext, frame_source: FrameSource) -> None:
        self.ctx = ctx
        self.frame_source = frame_source
        self._ocr: OcrEngine | None = None

    def gather(
        self,
        kind: str,
        mode: str,
        caps: dict[str, int],
        frames_span: tuple[float, float],
        ocr_span: tuple[float, float],
        base: Evidence | None = None,
    ) -> Evidence:
        ctx = self.ctx
        p = ctx.progress
        label = ctx.label(kind)
        p.stage(Stage.FRAME_EXTRACT, f"{label}sampling frames ({mode})", frames_span[0])
        with ctx.timer("frames"):
            sampled, ctx.duration = self.frame_source.sample(ctx.video, mode)
            frames, new = self._register(sampled)
        stamps = ", ".join(f"{f.timestamp:.2f}s" for f in frames[:12])
        p.event(f"{label}{len(frames)} distinct frames ({len(new)} new) at {stamps}")
        p.stage(Stage.FRAME_EXTRACT, f"{label}{len(frames)} frames", frames_span[1])

        if base is not None:
            # a rescue keeps what the earlier attempt saw and adds its own frames
            known = {f.index for f in frames}
            frames = sorted([*frames, *(f for f in base.frames if f.index not in known)],
                            key=lambda f: f.timestamp)

        if ctx.express and not ctx.blind_provider():
            p.stage(Stage.OCR, "skipped (express mode)", ocr_span[0])
            return Evidence(frames=frames, ocr_lines=[], duration=ctx.duration)

        lines = self._ocr_frames(frames, caps, ocr_span, label)
        logos = find_logos(ctx, frames, label, ocr_span[1], lines)
        return Evidence(frames=frames, ocr_lines=lines, duration=ctx.duration, logos=logos)

    def _register(self, sampled: list[Frame]) -> tuple[list[Frame], list[Frame]]:
        """Save new frames as artifacts; frames already saved by an earlier attempt are reused."""
        seen = self.ctx.seen
        frames: list[Frame] = []
        new: list[Frame] = []
        for frame in sampled:
            thumb = thumbnail(frame.image)
            known = seen.match(thumb)
            if known is not None:
                if known not in frames:
                    frames.append(known)
                continue
            artifacts.save_frame(frame, self.ctx.work_dir, len(seen.frames))
            seen.frames.append(frame)
            seen.thumbs.append(thumb)
            frames.append(frame)
            new.append(frame)
        return frames, new

    def _ocr_engine(self) -> OcrEngine:
        if self._ocr is None:
            with self.ctx.timer("ocr_load"):
                self._ocr = get_ocr_engine(self.ctx.job.ocr_engine, self.ctx.job.ocr_mode)
        return self._ocr

    def _ocr_frames(
        self, frames: list[Frame], caps: dict[str, int], span: tuple[float, float], label: str
    ) -> list[OcrLine]:
        ctx = self.ctx
        p = ctx.progress
        todo = [f for f in pick_spread(frames, caps[ctx.job.ocr_mode])
                if f.index not in ctx.seen.readings]
        engine_name = ctx.job.ocr_engine
        p.stage(Stage.OCR, f"{label}{engine_name} on {len(todo)} frames", span[0])
        engine = self._ocr_engine()
        step = max(1, engine.frames_at_once)
        with ctx.timer("ocr"):
            for i in range(0, len(todo), step):
                chunk = todo[i:i + step]
                for frame, lines in zip(chunk, engine.read_each(chunk), strict=True):
                    ctx.seen.readings[frame.index] = lines
                done = i + len(chunk)
                p.stage(Stage.OCR, f"{label}{engine_name}: frame {done}/{len(todo)}",
                        span[0] + (span[1] - span[0]) * done / max(1, len(todo)))
        readings = [line for f in frames for line in ctx.seen.readings.get(f.index, [])]
        lines = merge_lines(readings)
        preview = " | ".join(line.text for line in lines[:8])
        p.event(f"{label}OCR ({engine_name}, {ctx.job.ocr_mode}): {len(lines)} lines"
                + (f": {preview}" if preview else ""))
        return lines
