"""The rescue ladder: while the latest answer is weak (explain.weakness), look further into the
video (extended tail, then the full video) and ask again, but only when the new look adds
something the provider can use; then listen to the voice closer (a last rung: Whisper base is
dear on CPU). Every attempt, skipped rungs included, is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from adclf.errors import PipelineError
from adclf.pipeline import explain
from adclf.pipeline.context import JobContext
from adclf.pipeline.sweep import RESCUE_OCR_FRAME_CAP, Sweep
from adclf.pipeline.types import Attempt, Classification, Evidence

# Where the rescue rungs sit on the progress bar (inside CLASSIFY .. MAP).
RESCUE_SPAN = {"extended_tail": (66.0, 75.0), "full_video": (75.0, 84.0)}

# Asks the provider about an attempt's evidence: (evidence, progress value, attempt kind).
Classify = Callable[[Evidence, float, str], Classification]
# Listens to the voice again given all the text read and the weak answer's brand ("" if none):
# "" when the speech changed, else why not; None when there is no voice to listen to (no rung).
Listen = Callable[[list[str], str], str | None]
SPEECH_SPAN = (84.0, 86.0)


@dataclass
class Attempts:
    """The job's attempts in order, each with the answer and evidence it stands for (a skipped
    rung stands for the answer before it)."""

    trace: list[Attempt] = field(default_factory=list)
    results: list[tuple[Classification, Evidence]] = field(default_factory=list)

    def add(self, attempt: Attempt, classification: Classification, evidence: Evidence) -> None:
        self.trace.append(attempt)
        self.results.append((classification, evidence))


def rungs(ctx: JobContext) -> list[str]:
    if ctx.express:
        return []  # express trades thoroughness for speed by design
    kinds = ["extended_tail", "full_video"]
    if ctx.scan_mode == "Full Video":
        kinds.remove("full_video")  # the first attempt already covered the whole video
    return kinds


def climb(ctx: JobContext, sweep: Sweep, classify: Classify, attempts: Attempts,
          listen: Listen | None = None) -> None:
    """Rescue attempts after the initial one (the last in `attempts`), until one is good enough
    or the ladder ends."""
    p = ctx.progress
    classification, evidence = attempts.results[-1]
    for kind in rungs(ctx):
        weak = explain.weakness(classification, evidence, require_text=ctx.requires_text())
        if weak is None:
            break
        lo, hi = RESCUE_SPAN[kind]
        p.event(f"rescue: {kind} ({weak})")
        try:
            richer = sweep.gather(
                kind, kind, RESCUE_OCR_FRAME_CAP, frames_span=(lo, lo + 2),
                ocr_span=(lo + 2, hi - 2), base=evidence,
            )
        except PipelineError as err:
            # the first attempt already has frames; a rung that cannot add any is skipped
            skipped = f"skipped: {err}"
        else:
            adds = adds_evidence(richer, evidence, not ctx.blind_provider())
            skipped = "" if adds else "skipped: no frame or text beyond the earlier attempts"
        if skipped:
            # asking the provider again about the same evidence would only cost time
            p.event(f"rescue {kind} {skipped}")
            attempts.add(explain.skipped_attempt(kind, weak, skipped, evidence), classification,
                         evidence)
            continue
        evidence = richer
        evidence.speech_lines, evidence.speech_note = ctx.seen.speech, ctx.seen.speech_note
        classification = classify(evidence, hi - 2, kind)
        attempts.add(explain.make_attempt(kind, weak, classification, evidence,
                                          require_text=ctx.requires_text()),
                     classification, evidence)
    if listen is not None and not ctx.express:
        _speech_rung(ctx, classify, attempts, listen)


def _speech_rung(ctx: JobContext, classify: Classify, attempts: Attempts,
                 listen: Listen) -> None:
    classification, evidence = attempts.results[-1]
    weak = explain.weakness(classification, evidence, require_text=ctx.requires_text())
    if weak is None:
        return
    why_not = listen([line.text for line in evidence.ocr_lines], classification.brand)
    if why_not is None:
        return
    ctx.progress.event(f"rescue: speech ({weak})")
    if why_not:
        attempts.add(explain.skipped_attempt("speech", weak, f"skipped: {why_not}", evidence),
                     classification, evidence)
        return
    heard = replace(evidence, speech_lines=ctx.seen.speech)
    classification = classify(heard, SPEECH_SPAN[1], "speech")
    attempts.add(explain.make_attempt("speech", weak, classification, heard,
                                      require_text=ctx.requires_text()),
                 classification, heard)


def adds_evidence(new: Evidence, old: Evidence, sees_pictures: bool) -> bool:
    """New text always counts; new pictures count only for a provider that looks at them."""
    if not {f.index for f in new.frames} - {f.index for f in old.frames}:
        return False
    return sees_pictures or bool(
        {line.text for line in new.ocr_lines} - {line.text for line in old.ocr_lines}
    ) or bool({d.brand for d in new.logos} - {d.brand for d in old.logos})
