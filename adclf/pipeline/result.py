"""The end of a job: keep the best attempt, map its category to the taxonomy, and assemble and
write the result (result files and explanation.json, with the final timings)."""

from __future__ import annotations

import time

from adclf.domain import Stage
from adclf.pipeline import artifacts, explain
from adclf.pipeline.context import JobContext
from adclf.pipeline.rescue import Attempts
from adclf.pipeline.types import PipelineResult


def finish(ctx: JobContext, attempts: Attempts, started: float) -> PipelineResult:
    p = ctx.progress
    best = explain.choose(attempts.trace)
    classification, evidence = attempts.results[best]
    if len(attempts.trace) > 1:
        p.event(f"kept attempt {attempts.trace[best].type}: {attempts.trace[best].reason}")

    p.stage(Stage.MAP, "mapping the category to the taxonomy")
    with ctx.timer("map"):
        from adclf.pipeline.taxonomy import get_mapper

        mapper = get_mapper(ctx.settings, ctx.job.categories)
        mapping = mapper.map(classification, evidence)
        if ctx.job.categories:
            mapping = mapper.with_label(mapping, ctx.job.categories, classification, evidence)
    if mapping.job_label:
        p.event(f"job label: {mapping.job_label} via {mapping.job_label_method} "
                f"({mapping.job_label_score:.2f})")
    p.event(
        f"taxonomy: {mapping.category_name or '(none)'} [{mapping.category_id or '-'}] "
        f"in {mapping.industry_name or '-'} via {mapping.method} ({mapping.score:.2f})"
    )

    seen = ctx.seen
    result = PipelineResult(
        classification=classification,
        mapping=mapping,
        frames=sorted(seen.frames, key=lambda f: f.index),
        ocr_lines=evidence.ocr_lines,
        speech_lines=seen.speech,
        speech_note=seen.speech_note,
        logos=evidence.logos,
        logo_note=seen.logo_note,
        attempts=attempts.trace,
        duration=ctx.duration,
        timings=ctx.timer.timings,
    )
    with ctx.timer("artifacts"):
        artifacts.write_result_files(result, ctx.work_dir)
    ctx.timer.timings["total"] = round(time.perf_counter() - started, 4)
    # explanation.json carries the final timings too
    artifacts.write_result_files(result, ctx.work_dir)
    return result
