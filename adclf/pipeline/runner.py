"""The pipeline: source → frames → OCR → logos → speech → classify → map, with a rescue ladder for
thin evidence.

Plain Python (no Ray, no HTTP): a worker constructs `Pipeline(settings)` once and calls `run` per
job. Everything the user sees while it runs goes through the `Reporter` (stages, a progress value
that only moves forward, events); `JobCancelled` raised by the reporter propagates untouched.

This module orders the stages; each lives in its own module: evidence gathering (sweep.py, with
logo_step.py), speech (listen.py), the rescue ladder (rescue.py) and the result (result.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from adclf.config import Settings
from adclf.domain import STAGE_PROGRESS, JobSpec, Stage
from adclf.pipeline import artifacts, explain, rescue
from adclf.pipeline.context import JobContext, Progress
from adclf.pipeline.cores import threads_per_job
from adclf.pipeline.embedded import runtime as embedded_runtime
from adclf.pipeline.frames import VideoFrameSource
from adclf.pipeline.listen import Heard, Listener
from adclf.pipeline.ocr import set_default_threads
from adclf.pipeline.result import finish
from adclf.pipeline.sources import resolve_source
from adclf.pipeline.sweep import OCR_FRAME_CAP, Sweep
from adclf.pipeline.types import (
    Classification,
    ClassifierProvider,
    Evidence,
    FrameSource,
    PipelineResult,
    Reporter,
)


class Pipeline:
    def __init__(self, settings: Settings, frame_source: FrameSource | None = None,
                 cpus: float | None = None) -> None:
        self.settings = settings
        self.threads = threads_per_job(settings, cpus)
        set_default_threads(self.threads)  # so a worker's warm-up loads the model jobs will use
        embedded_runtime.configure(settings.EMBEDDED_RUNTIME, self.threads)
        self.frame_source: FrameSource = frame_source or VideoFrameSource(threads=self.threads)

    def run(self, spec: JobSpec, work_dir: Path, reporter: Reporter) -> PipelineResult:
        return _Job(self, spec, work_dir, reporter).run()


class _Job:
    def __init__(
        self, pipeline: Pipeline, spec: JobSpec, work_dir: Path, reporter: Reporter
    ) -> None:
        self.pipeline = pipeline
        self.spec = spec
        self.ctx = JobContext(pipeline.settings, spec.settings, work_dir, Progress(reporter))
        self.sweep = Sweep(self.ctx, pipeline.frame_source)
        self._provider: ClassifierProvider | None = None
        self.listener = Listener(pipeline.threads, pipeline.settings.BRANDS_PATH,
                                 pipeline.settings.ASR_SECOND_LISTEN)
        self.heard: Heard | None = None

    def run(self) -> PipelineResult:
        started = time.perf_counter()
        ctx = self.ctx
        ctx.work_dir.mkdir(parents=True, exist_ok=True)
        artifacts.reset(ctx.work_dir)
        p = ctx.progress

        p.stage(Stage.INGEST, f"resolving {self.spec.source_kind} source")
        with ctx.timer("source"):
            ctx.video = resolve_source(self.spec, ctx.work_dir, ctx.settings)
        size_mb = ctx.video.stat().st_size / 1e6
        p.event(f"source ready: {ctx.video.name} ({size_mb:.1f} MB)")
        skip = "skipped (express mode)" if ctx.express else (
            "" if ctx.settings.ASR_ENABLED else "speech recognition is off (ASR_ENABLED=false)")
        self.listener.start(ctx.video, ctx.work_dir, skip)
        try:
            if self.spec.mode == "agent":
                from adclf.pipeline.agent.run import run_agent

                return run_agent(ctx, self._heard, self.pipeline.threads, started)
            return self._run(started)
        finally:
            self.listener.abandon()

    def _run(self, started: float) -> PipelineResult:
        ctx = self.ctx
        evidence = self.sweep.gather(
            "initial", ctx.scan_mode, OCR_FRAME_CAP,
            frames_span=(STAGE_PROGRESS[Stage.FRAME_EXTRACT], STAGE_PROGRESS[Stage.OCR]),
            ocr_span=(STAGE_PROGRESS[Stage.OCR], STAGE_PROGRESS[Stage.CLASSIFY]),
        )
        self._heard([ln.text for ln in evidence.ocr_lines])
        evidence.speech_lines, evidence.speech_note = ctx.seen.speech, ctx.seen.speech_note
        classification = self._classify(evidence, STAGE_PROGRESS[Stage.CLASSIFY], "initial")
        attempts = rescue.Attempts()
        attempts.add(explain.make_attempt("initial", f"scan mode {ctx.scan_mode}", classification,
                                          evidence, require_text=ctx.requires_text()),
                     classification, evidence)
        rescue.climb(ctx, self.sweep, self._classify, attempts, self._listen_closer)
        return finish(ctx, attempts, started)

    def _heard(self, written: list[str] | None = None) -> None:
        """Join the speech stage started at ingest, listen again if neither speech nor the
        `written` text names a known brand, and report what it heard."""
        p = self.ctx.progress
        heard = self.heard = self.listener.result()
        self.listener.listen_again(heard, written)
        self.ctx.timer.timings.update(heard.timings)
        self.ctx.seen.speech, self.ctx.seen.speech_note = heard.lines, heard.note
        if heard.second_listen:
            p.event(f"speech: {heard.second_listen}"[:500])
        if heard.note and not heard.lines:
            p.stage(Stage.ASR, heard.note if heard.note.startswith("skipped")
                    else f"skipped: {heard.note}")
            p.event(f"speech: {heard.note}")
            return
        p.stage(Stage.ASR, f"transcribed {heard.audio_seconds:.1f} s of audio: "
                           f"{len(heard.lines)} phrases")
        p.event(f"speech: {len(heard.lines)} phrases: {_preview(heard)}")

    def _listen_closer(self, written: list[str], brand: str) -> str | None:
        """The rescue ladder's speech rung: "" when Whisper base's lines now stand for the
        speech, else why not; None when no voice was kept to listen to. `brand`: the weak
        answer's, if any (then misheard names are not hunted for)."""
        heard = self.heard
        if heard is None or heard.samples is None:
            return None
        changed = self.listener.listen_closer(heard, written, hunt=not brand)
        self.ctx.timer.timings.update(heard.timings)
        if heard.closer:
            self.ctx.progress.event(f"speech: {heard.closer}"[:500])
        if not changed:
            return heard.closer or "nothing heard closer"
        self.ctx.seen.speech = heard.lines
        self.ctx.progress.event(f"speech: {len(heard.lines)} phrases heard closer: "
                                f"{_preview(heard)}")
        return ""

    def _classify(self, evidence: Evidence, at: float, kind: str) -> Classification:
        ctx = self.ctx
        p = ctx.progress
        if self._provider is None:
            from adclf.pipeline.providers import get_provider

            with ctx.timer("provider_load"):
                self._provider = get_provider(ctx.settings, ctx.job)
            _limit_torch_threads(self.pipeline.threads)
        provider = self._provider
        label = ctx.label(kind)
        p.stage(Stage.CLASSIFY, f"{label}asking {provider.name}", at)
        with ctx.timer("classify"):
            # a provider's PipelineError (server down, bad answer) fails the job as it is
            classification = provider.classify(evidence)
        p.event(
            f"{label}{provider.name} answered brand {classification.brand!r}, category "
            f"{classification.category!r}, confidence {classification.confidence:.2f}"
        )
        return classification


def _limit_torch_threads(threads: int) -> None:
    """A provider that runs torch (the embedded one) gets the job's share of the cores too: on
    2 cores with 2 workers, torch's default 2 threads spend ~4x the CPU per classification
    (measured 0.30 s vs 0.07 s) spinning against the other worker. Only if torch is loaded."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _preview(heard: Heard) -> str:
    return " | ".join(f"{ln.start:.1f}s {ln.text}" for ln in heard.lines[:6])
