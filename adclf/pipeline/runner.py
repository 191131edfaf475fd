"""The pipeline: source → frames → OCR → logos → speech → classify → map, with a rescue ladder for
thin evidence.

Plain Python (no Ray, no HTTP): a worker constructs `Pipeline(settings)` once and calls `run` per
job. Everything the user sees while it runs goes through the `Reporter` (stages, a progress value
that only moves forward, events); `JobCancelled` raised by the reporter propagates untouched.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from adclf.config import Settings
from adclf.domain import STAGE_PROGRESS, JobSettings, JobSpec, Stage
from adclf.errors import PipelineError
from adclf.pipeline import artifacts, evidence_models, explain
from adclf.pipeline.frames import DUPLICATE_DIFF, VideoFrameSource
from adclf.pipeline.imaging import thumb_diff, thumbnail
from adclf.pipeline.listen import Listener
from adclf.pipeline.ocr import get_ocr_engine, merge_lines, set_default_threads
from adclf.pipeline.sources import resolve_source
from adclf.pipeline.types import (
    Attempt,
    Classification,
    ClassifierProvider,
    Evidence,
    Frame,
    FrameSource,
    LogoDetection,
    OcrEngine,
    OcrLine,
    PipelineResult,
    Reporter,
    SpeechLine,
)

log = logging.getLogger(__name__)

# Distinct frames OCR'd per attempt, by ocr_mode: text-bearing ad frames are few, and the end
# card (always included) carries the brand.
OCR_FRAME_CAP = {"Fast": 6, "Detailed": 12}
RESCUE_OCR_FRAME_CAP = {"Fast": 8, "Detailed": 16}
LOGO_FRAME_CAP = {"Fast": 3, "Detailed": 8}

# Where the rescue rungs sit on the progress bar (inside CLASSIFY .. MAP).
RESCUE_SPAN = {"extended_tail": (66.0, 75.0), "full_video": (75.0, 84.0)}


class _Progress:
    """Stage reports whose progress value never goes backwards, even when a rescue attempt
    revisits frame extraction and OCR."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.value = 0.0

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None:
        target = STAGE_PROGRESS[stage] if progress is None else progress
        self.value = max(self.value, min(99.0, float(target)))
        self.reporter.stage(stage, detail, round(self.value, 1))

    def event(self, message: str) -> None:
        self.reporter.event(message)


@dataclass
class _Seen:
    """Frames saved and OCR'd so far in this job, so rescue attempts redo neither."""

    frames: list[Frame] = field(default_factory=list)
    thumbs: list[np.ndarray] = field(default_factory=list)
    readings: dict[int, list[OcrLine]] = field(default_factory=dict)  # frame index → raw lines
    logos: dict[int, list[LogoDetection]] = field(default_factory=dict)  # frame index → logos
    speech: list[SpeechLine] = field(default_factory=list)
    speech_note: str = ""
    logo_note: str = ""

    def match(self, thumb: np.ndarray) -> Frame | None:
        for frame, seen in zip(self.frames, self.thumbs, strict=True):
            if thumb_diff(thumb, seen) < DUPLICATE_DIFF:
                return frame
        return None


@dataclass
class _Timer:
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self.timings[name] = round(self.timings.get(name, 0.0) + elapsed, 4)


def threads_per_job(settings: Settings, cpus: float | None = None) -> int:
    """CPU threads one job may use: the node's cores shared by its parallel workers. `cpus` is
    the node's CPU count as the scheduler sees it (several Ray nodes may share one machine)."""
    cores = int(cpus) if cpus else (os.cpu_count() or 1)
    return max(1, cores // max(1, settings.WORKERS_PER_NODE))


class Pipeline:
    def __init__(self, settings: Settings, frame_source: FrameSource | None = None,
                 cpus: float | None = None) -> None:
        self.settings = settings
        self.threads = threads_per_job(settings, cpus)
        set_default_threads(self.threads)  # so a worker's warm-up loads the model jobs will use
        self.frame_source: FrameSource = frame_source or VideoFrameSource(threads=self.threads)

    def run(self, spec: JobSpec, work_dir: Path, reporter: Reporter) -> PipelineResult:
        return _Job(self, spec, work_dir, reporter).run()


class _Job:
    def __init__(
        self, pipeline: Pipeline, spec: JobSpec, work_dir: Path, reporter: Reporter
    ) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings
        self.spec = spec
        self.job: JobSettings = spec.settings
        self.work_dir = work_dir
        self.progress = _Progress(reporter)
        self.timer = _Timer()
        self.seen = _Seen()
        self.express = self.job.express_mode or self.job.scan_mode == "Express"
        self.scan_mode = "Express" if self.express else self.job.scan_mode
        self._ocr: OcrEngine | None = None
        self._provider: ClassifierProvider | None = None
        self.duration = 0.0
        self.video = Path()
        self.listener = Listener(pipeline.threads)

    # ------------------------------------------------------------------ the job

    def run(self) -> PipelineResult:
        started = time.perf_counter()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        artifacts.reset(self.work_dir)
        p = self.progress

        p.stage(Stage.INGEST, f"resolving {self.spec.source_kind} source")
        with self.timer("source"):
            self.video = resolve_source(self.spec, self.work_dir, self.settings)
        size_mb = self.video.stat().st_size / 1e6
        p.event(f"source ready: {self.video.name} ({size_mb:.1f} MB)")
        skip = "skipped (express mode)" if self.express else (
            "" if self.settings.ASR_ENABLED else "speech recognition is off (ASR_ENABLED=false)")
        self.listener.start(self.video, self.work_dir, skip)
        try:
            return self._run(started)
        finally:
            self.listener.abandon()

    def _run(self, started: float) -> PipelineResult:
        p = self.progress

        attempts: list[Attempt] = []
        results: list[tuple[Classification, Evidence]] = []

        evidence = self._gather(
            "initial", self.scan_mode, OCR_FRAME_CAP,
            frames_span=(STAGE_PROGRESS[Stage.FRAME_EXTRACT], STAGE_PROGRESS[Stage.OCR]),
            ocr_span=(STAGE_PROGRESS[Stage.OCR], STAGE_PROGRESS[Stage.CLASSIFY]),
        )
        self._heard()
        evidence.speech_lines, evidence.speech_note = self.seen.speech, self.seen.speech_note
        classification = self._classify(evidence, STAGE_PROGRESS[Stage.CLASSIFY], "initial")
        attempts.append(self._attempt("initial", f"scan mode {self.scan_mode}", classification,
                                      evidence))
        results.append((classification, evidence))

        for kind in self._rescue_rungs():
            weak = self._weakness(classification, evidence)
            if weak is None:
                break
            lo, hi = RESCUE_SPAN[kind]
            p.event(f"rescue: {kind} ({weak})")
            try:
                richer = self._gather(
                    kind, kind, RESCUE_OCR_FRAME_CAP, frames_span=(lo, lo + 2),
                    ocr_span=(lo + 2, hi - 2), base=evidence,
                )
            except PipelineError as err:
                # the first attempt already has frames; a rung that cannot add any is skipped
                skipped = f"skipped: {err}"
            else:
                adds = _adds_evidence(richer, evidence, not self._blind_provider())
                skipped = "" if adds else (
                    "skipped: no frame or text beyond the earlier attempts")
            if skipped:
                # asking the provider again about the same evidence would only cost time
                p.event(f"rescue {kind} {skipped}")
                attempts.append(explain.skipped_attempt(kind, weak, skipped, evidence))
                results.append((classification, evidence))
                continue
            evidence = richer
            evidence.speech_lines, evidence.speech_note = self.seen.speech, self.seen.speech_note
            classification = self._classify(evidence, hi - 2, kind)
            attempts.append(self._attempt(kind, weak, classification, evidence))
            results.append((classification, evidence))

        best = explain.choose(attempts)
        classification, evidence = results[best]
        if len(attempts) > 1:
            p.event(f"kept attempt {attempts[best].type}: {attempts[best].reason}")

        p.stage(Stage.MAP, "mapping the category to the taxonomy")
        with self.timer("map"):
            from adclf.pipeline.taxonomy import get_mapper

            mapper = get_mapper(self.settings, self.job.categories)
            mapping = mapper.map(classification, evidence)
        p.event(
            f"taxonomy: {mapping.category_name or '(none)'} [{mapping.category_id or '-'}] "
            f"in {mapping.industry_name or '-'} via {mapping.method} ({mapping.score:.2f})"
        )

        result = PipelineResult(
            classification=classification,
            mapping=mapping,
            frames=sorted(self.seen.frames, key=lambda f: f.index),
            ocr_lines=evidence.ocr_lines,
            speech_lines=self.seen.speech,
            speech_note=self.seen.speech_note,
            logos=evidence.logos,
            logo_note=self.seen.logo_note,
            attempts=attempts,
            duration=self.duration,
            timings=self.timer.timings,
        )
        with self.timer("artifacts"):
            artifacts.write_result_files(result, self.work_dir)
        self.timer.timings["total"] = round(time.perf_counter() - started, 4)
        # explanation.json carries the final timings too
        artifacts.write_result_files(result, self.work_dir)
        return result

    # ------------------------------------------------------------------ stages

    def _rescue_rungs(self) -> list[str]:
        if self.express:
            return []  # express trades thoroughness for speed by design
        rungs = ["extended_tail", "full_video"]
        if self.scan_mode == "Full Video":
            rungs.remove("full_video")  # the first attempt already covered the whole video
        return rungs

    def _gather(
        self,
        kind: str,
        mode: str,
        caps: dict[str, int],
        frames_span: tuple[float, float],
        ocr_span: tuple[float, float],
        base: Evidence | None = None,
    ) -> Evidence:
        p = self.progress
        label = "" if kind == "initial" else f"rescue {kind}: "
        p.stage(Stage.FRAME_EXTRACT, f"{label}sampling frames ({mode})", frames_span[0])
        with self.timer("frames"):
            sampled, self.duration = self.pipeline.frame_source.sample(self.video, mode)
            frames, new = self._register(sampled)
        stamps = ", ".join(f"{f.timestamp:.2f}s" for f in frames[:12])
        p.event(f"{label}{len(frames)} distinct frames ({len(new)} new) at {stamps}")
        p.stage(Stage.FRAME_EXTRACT, f"{label}{len(frames)} frames", frames_span[1])

        if base is not None:
            # a rescue keeps what the earlier attempt saw and adds its own frames
            known = {f.index for f in frames}
            frames = sorted([*frames, *(f for f in base.frames if f.index not in known)],
                            key=lambda f: f.timestamp)

        if self.express and not self._blind_provider():
            p.stage(Stage.OCR, "skipped (express mode)", ocr_span[0])
            return Evidence(frames=frames, ocr_lines=[], duration=self.duration)

        lines = self._ocr_frames(frames, caps, ocr_span, label)
        logos = self._logos(frames, label, ocr_span[1], lines)
        return Evidence(frames=frames, ocr_lines=lines, duration=self.duration,
                        visual_labels=self._visual_labels(frames), logos=logos)

    def _register(self, sampled: list[Frame]) -> tuple[list[Frame], list[Frame]]:
        """Save new frames as artifacts; frames already saved by an earlier attempt are reused."""
        frames: list[Frame] = []
        new: list[Frame] = []
        for frame in sampled:
            thumb = thumbnail(frame.image)
            known = self.seen.match(thumb)
            if known is not None:
                if known not in frames:
                    frames.append(known)
                continue
            artifacts.save_frame(frame, self.work_dir, len(self.seen.frames))
            self.seen.frames.append(frame)
            self.seen.thumbs.append(thumb)
            frames.append(frame)
            new.append(frame)
        return frames, new

    def _blind_provider(self) -> bool:
        """The embedded provider reads text, not pictures: an express job on it would have no
        evidence at all, so its single frame is OCR'd (~0.3 s) instead of skipping OCR."""
        return (self.job.provider or self.settings.DEFAULT_PROVIDER) == "embedded"

    def _ocr_engine(self) -> OcrEngine:
        if self._ocr is None:
            with self.timer("ocr_load"):
                self._ocr = get_ocr_engine(self.job.ocr_engine, self.job.ocr_mode)
        return self._ocr

    def _ocr_frames(
        self, frames: list[Frame], caps: dict[str, int], span: tuple[float, float], label: str
    ) -> list[OcrLine]:
        p = self.progress
        todo = [f for f in pick_for_ocr(frames, caps[self.job.ocr_mode])
                if f.index not in self.seen.readings]
        engine_name = self.job.ocr_engine
        p.stage(Stage.OCR, f"{label}{engine_name} on {len(todo)} frames", span[0])
        engine = self._ocr_engine()
        with self.timer("ocr"):
            for i, frame in enumerate(todo, start=1):
                self.seen.readings[frame.index] = engine.read([frame])
                p.stage(Stage.OCR, f"{label}{engine_name}: frame {i}/{len(todo)}",
                        span[0] + (span[1] - span[0]) * i / max(1, len(todo)))
        readings = [line for f in frames for line in self.seen.readings.get(f.index, [])]
        lines = merge_lines(readings)
        preview = " | ".join(line.text for line in lines[:8])
        p.event(f"{label}OCR ({engine_name}, {self.job.ocr_mode}): {len(lines)} lines"
                + (f": {preview}" if preview else ""))
        return lines

    def _logos(self, frames: list[Frame], label: str, at: float,
               lines: list[OcrLine]) -> list[LogoDetection]:
        """Logos in every frame of the attempt (each frame matched once per job); the best
        detection per brand."""
        p = self.progress
        if not self.settings.LOGOS_ENABLED:
            self.seen.logo_note = "logo recognition is off (LOGOS_ENABLED=false)"
            return []
        named = named_by_address(lines, self.duration)
        if named:
            # The end card's name and its web address agree: a logo would add nothing to the
            # brand, and matching costs ~0.1-0.3 s a frame.
            self.seen.logo_note = f"not needed: the end card names {named} with its web address"
            p.stage(Stage.LOGOS, f"{label}skipped: {self.seen.logo_note}", at)
            return []
        # A busy frame costs ~0.3 s of matching: the end card and a few frames spread before
        # it carry the logo in nearly every ad; rescues add their own frames.
        todo = [f for f in pick_for_ocr(frames, LOGO_FRAME_CAP[self.job.ocr_mode])
                if f.index not in self.seen.logos]
        p.stage(Stage.LOGOS, f"{label}matching logos in {len(todo)} frames", at)
        with self.timer("logos"):
            try:
                matcher = evidence_models.get_logo_matcher(self.settings)
            except RuntimeError as exc:
                if not self.seen.logo_note:
                    p.event(f"logos skipped: {exc}")
                self.seen.logo_note = str(exc)
                return []
            for frame in todo:
                self.seen.logos[frame.index] = not_text(
                    matcher.detect([frame]), self.seen.readings.get(frame.index, []))
        best: dict[str, LogoDetection] = {}
        for frame in frames:
            for det in self.seen.logos.get(frame.index, []):
                if det.brand not in best or det.score > best[det.brand].score:
                    best[det.brand] = det
        found = sorted(best.values(), key=lambda d: -d.score)
        if todo:
            p.event(f"{label}logos: " + (", ".join(
                f"{d.brand} ({d.score:.2f}) at {d.timestamp:.1f}s" for d in found[:5])
                if found else "none recognised"))
        return found

    def _heard(self) -> None:
        """Join the speech stage started at ingest and report what it heard."""
        p = self.progress
        heard = self.listener.result()
        for key, value in heard.timings.items():
            self.timer.timings[key] = value
        self.seen.speech, self.seen.speech_note = heard.lines, heard.note
        if heard.note and not heard.lines:
            p.stage(Stage.ASR, heard.note if heard.note.startswith("skipped")
                    else f"skipped: {heard.note}")
            p.event(f"speech: {heard.note}")
            return
        p.stage(Stage.ASR, f"transcribed {heard.audio_seconds:.1f} s of audio: "
                           f"{len(heard.lines)} phrases")
        preview = " | ".join(f"{ln.start:.1f}s {ln.text}" for ln in heard.lines[:6])
        p.event(f"speech: {len(heard.lines)} phrases: {preview}")

    def _visual_labels(self, frames: list[Frame]) -> list[tuple[str, float]]:
        return []

    def _classify(self, evidence: Evidence, at: float, kind: str) -> Classification:
        p = self.progress
        if self._provider is None:
            from adclf.pipeline.providers import get_provider

            with self.timer("provider_load"):
                self._provider = get_provider(self.settings, self.job)
            _limit_torch_threads(self.pipeline.threads)
        provider = self._provider
        label = "" if kind == "initial" else f"rescue {kind}: "
        p.stage(Stage.CLASSIFY, f"{label}asking {provider.name}", at)
        with self.timer("classify"):
            # a provider's PipelineError (server down, bad answer) fails the job as it is
            classification = provider.classify(evidence)
        p.event(
            f"{label}{provider.name} answered brand {classification.brand!r}, category "
            f"{classification.category!r}, confidence {classification.confidence:.2f}"
        )
        return classification

    def _requires_text(self) -> bool:
        return not self.express or self._blind_provider()

    def _weakness(self, classification: Classification, evidence: Evidence) -> str | None:
        return explain.weakness(classification, evidence, require_text=self._requires_text())

    def _attempt(
        self, kind: str, trigger: str, classification: Classification, evidence: Evidence
    ) -> Attempt:
        return explain.make_attempt(kind, trigger, classification, evidence,
                                    require_text=self._requires_text())


def _limit_torch_threads(threads: int) -> None:
    """A provider that runs torch (the embedded one) gets the job's share of the cores too: on
    2 cores with 2 workers, torch's default 2 threads spend ~4x the CPU per classification
    (measured 0.30 s vs 0.07 s) spinning against the other worker. Only if torch is loaded."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _adds_evidence(new: Evidence, old: Evidence, sees_pictures: bool) -> bool:
    """New text always counts; new pictures count only for a provider that looks at them."""
    if not {f.index for f in new.frames} - {f.index for f in old.frames}:
        return False
    return sees_pictures or bool(
        {line.text for line in new.ocr_lines} - {line.text for line in old.ocr_lines}
    ) or bool({d.brand for d in new.logos} - {d.brand for d in old.logos})


def pick_for_ocr(frames: list[Frame], cap: int) -> list[Frame]:
    """At most `cap` frames spread over time, always including the last (the end card)."""
    ordered = sorted(frames, key=lambda f: f.timestamp)
    if len(ordered) <= cap:
        return ordered
    if cap <= 1:
        return ordered[-1:]
    picks = {round(i * (len(ordered) - 1) / (cap - 1)) for i in range(cap)}
    return [ordered[i] for i in sorted(picks)]


def not_text(logos: list[LogoDetection], lines: list[OcrLine]) -> list[LogoDetection]:
    """Drop a 'logo' that is a glyph of text OCR read in the same frame (an 'h' in 'Fresh'
    matched as a letter-shaped logo), unless that text names the logo's brand (a wordmark)."""
    kept = []
    for det in logos:
        inside = next((ln for ln in lines if len(ln.box) == 4 and len(det.box) == 4
                       and _covered(det.box, ln.box) >= 0.6), None)
        if inside is None or _compact(det.brand) in _compact(inside.text):
            kept.append(det)
    return kept


def _covered(inner: list[float], outer: list[float]) -> float:
    """Share of `inner`'s area inside `outer`."""
    w = max(0.0, min(inner[2], outer[2]) - max(inner[0], outer[0]))
    h = max(0.0, min(inner[3], outer[3]) - max(inner[1], outer[1]))
    area = max(1e-6, (inner[2] - inner[0]) * (inner[3] - inner[1]))
    return w * h / area


def _compact(text: str) -> str:
    from adclf.pipeline.taxonomy.text import fold

    return "".join(ch for ch in fold(text) if ch.isalnum())


def named_by_address(lines: list[OcrLine], duration: float) -> str:
    """The brand when on-screen text names it and a web address confirms it, else ''."""
    from adclf.pipeline.providers.embedded_brand import read_brand

    if not lines:
        return ""
    guess = read_brand(lines, duration)
    return guess.brand if guess.domain_match else ""
