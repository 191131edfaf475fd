"""The agent's tools over the video itself: the on-screen text of a time range (the job's OCR
engine on frames sampled there), the speech of a time range (the speech stage's transcript),
one frame as a picture, and logos in a time range (the logo matcher). What they find is kept,
so the job's result and artifacts hold the evidence the answer rests on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from adclf.pipeline import evidence_models
from adclf.pipeline.agent.footage import Footage
from adclf.pipeline.agent.results import ToolFailure, ToolResult
from adclf.pipeline.context import JobContext
from adclf.pipeline.logo_step import end_card, not_text
from adclf.pipeline.logos import best_per_brand
from adclf.pipeline.ocr import get_ocr_engine, merge_lines
from adclf.pipeline.providers.images import encode_jpeg
from adclf.pipeline.types import Evidence, Frame, LogoDetection, OcrEngine, OcrLine

LOGO_FRAMES = 3  # frames matched per call: ~0.1-0.3 s each
MAX_LINES = 40  # lines returned per call; the model can narrow the range for more


@dataclass
class Gathered:
    """Everything the tools have read so far in this job."""

    readings: list[OcrLine] = field(default_factory=list)
    logos: list[LogoDetection] = field(default_factory=list)

    def evidence(self, ctx: JobContext) -> Evidence:
        frames = sorted(ctx.seen.frames, key=lambda f: f.timestamp)
        return Evidence(frames=frames, ocr_lines=merge_lines(self.readings),
                        duration=ctx.duration, speech_lines=ctx.seen.speech,
                        speech_note=ctx.seen.speech_note, logos=best_per_brand(self.logos))


def _name(frame: Frame, work_dir: Path) -> str:
    if frame.path is None:
        return ""
    try:
        return frame.path.resolve().relative_to(work_dir.resolve()).as_posix()
    except ValueError:
        return ""


class VideoTools:
    """`heard` joins the speech stage (started at ingest) and fills `ctx.seen.speech`."""

    def __init__(self, ctx: JobContext, footage: Footage, heard: Callable[[], None]) -> None:
        self.ctx = ctx
        self.footage = footage
        self._heard = heard
        self._listened = False
        self._ocr: OcrEngine | None = None
        self.gathered = Gathered()

    def _engine(self) -> OcrEngine:
        if self._ocr is None:
            with self.ctx.timer("ocr_load"):
                self._ocr = get_ocr_engine(self.ctx.job.ocr_engine, self.ctx.job.ocr_mode)
        return self._ocr

    def listen(self) -> None:
        if not self._listened:
            self._listened = True
            self._heard()

    def read_text(self, start: float, end: float) -> ToolResult:
        frames = self.footage.frames(self.footage.span(start, end))
        if not frames:
            raise ToolFailure(f"every frame between {start:.1f} s and {end:.1f} s is black")
        seen = self.ctx.seen
        engine = self._engine()
        with self.ctx.timer("ocr"):
            for frame in frames:
                if frame.index not in seen.readings:
                    seen.readings[frame.index] = engine.read([frame])
                    self.gathered.readings.extend(seen.readings[frame.index])
        lines = merge_lines(line for f in frames for line in seen.readings.get(f.index, []))
        shown = [{"time": round(ln.timestamp, 2), "text": ln.text,
                  "confidence": round(ln.confidence, 2), **({"large": True} if ln.large else {})}
                 for ln in lines[:MAX_LINES]]
        stamps = [f.timestamp for f in frames]
        payload = {"range": [round(start, 2), round(end, 2)], "frames_read": stamps,
                   "lines": shown}
        if len(lines) > MAX_LINES:
            payload["more"] = f"{len(lines) - MAX_LINES} more lines: ask for a narrower range"
        preview = " | ".join(ln.text for ln in lines[:6])
        summary = (f"{len(lines)} lines from {len(frames)} frames: {preview}" if lines
                   else f"no text in {len(frames)} frames")
        return ToolResult(payload, summary,
                          frames=[n for f in frames if (n := _name(f, self.ctx.work_dir))])

    def transcribe(self, start: float, end: float) -> ToolResult:
        self.listen()
        seen = self.ctx.seen
        lo, hi = sorted((start, end))
        lines = [ln for ln in seen.speech if ln.end >= lo and ln.start <= hi]
        payload: dict[str, object] = {
            "range": [round(lo, 2), round(hi, 2)],
            "lines": [{"start": round(ln.start, 2), "end": round(ln.end, 2), "text": ln.text,
                       "confidence": round(ln.confidence, 2)} for ln in lines]}
        if not lines:
            payload["note"] = seen.speech_note or "no speech in this range"
        summary = (" | ".join(ln.text for ln in lines[:4]) if lines
                   else f"no speech: {payload['note']}")
        return ToolResult(payload, summary)

    def look_at_frame(self, time: float) -> ToolResult:
        frames = self.footage.frames([time], keep_black=True)
        if not frames:
            raise ToolFailure(f"no frame could be read at {time:.1f} s")
        frame = frames[0]
        name = _name(frame, self.ctx.work_dir)
        payload = {"time": frame.timestamp, "attached": True,
                   "note": "the picture follows in the next message"}
        return ToolResult(payload, f"frame at {frame.timestamp:.2f} s attached",
                          images=[encode_jpeg(frame.image)], frames=[name] if name else [])

    def find_logos(self, start: float, end: float) -> ToolResult:
        if not self.ctx.settings.LOGOS_ENABLED:
            raise ToolFailure("logo recognition is off on this server (LOGOS_ENABLED=false)")
        try:
            matcher = evidence_models.get_logo_matcher(self.ctx.settings)
        except RuntimeError as exc:
            self.ctx.seen.logo_note = str(exc)
            raise ToolFailure(str(exc)) from None
        frames = self.footage.frames(self.footage.span(start, end, LOGO_FRAMES))
        seen = self.ctx.seen
        with self.ctx.timer("logos"):
            card = end_card(frames)
            for frame in frames:
                if frame.index not in seen.logos:
                    seen.logos[frame.index] = not_text(
                        matcher.detect([frame], closer=frame.index == card),
                        seen.readings.get(frame.index, []))
                    self.gathered.logos.extend(seen.logos[frame.index])
        found = best_per_brand(d for f in frames for d in seen.logos.get(f.index, []))
        payload = {"range": [round(start, 2), round(end, 2)],
                   "frames_checked": [f.timestamp for f in frames],
                   "logos": [{"brand": d.brand, "score": round(d.score, 2),
                              "time": d.timestamp} for d in found]}
        summary = (", ".join(f"{d.brand} ({d.score:.2f})" for d in found) if found
                   else f"no logo recognised in {len(frames)} frames")
        return ToolResult(payload, summary,
                          frames=[n for f in frames if (n := _name(f, self.ctx.work_dir))])
