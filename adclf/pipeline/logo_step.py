"""The logo stage of an attempt: logos in a few of its frames (each frame matched once per job),
none taken from letters OCR read, merged to the best detection per brand. Skipped when the end
card already names the brand with its web address."""

from __future__ import annotations

from adclf.domain import Stage
from adclf.pipeline import evidence_models
from adclf.pipeline.context import JobContext
from adclf.pipeline.frames import pick_spread
from adclf.pipeline.logos import best_per_brand
from adclf.pipeline.types import Frame, LogoDetection, OcrLine

# Frames matched per attempt, by ocr_mode: a busy frame costs ~0.3 s of matching, and the end card
# and a few frames spread before it carry the logo in nearly every ad; rescues add their own.
LOGO_FRAME_CAP = {"Fast": 3, "Detailed": 8}


def find_logos(ctx: JobContext, frames: list[Frame], label: str, at: float,
               lines: list[OcrLine]) -> list[LogoDetection]:
    """Logos in the attempt's frames, the best detection per brand, best first."""
    p = ctx.progress
    seen = ctx.seen
    if not ctx.settings.LOGOS_ENABLED:
        seen.logo_note = "logo recognition is off (LOGOS_ENABLED=false)"
        return []
    named = named_by_address(lines, ctx.duration)
    if named:
        # The end card's name and its web address agree: a logo would add nothing to the
        # brand, and matching costs ~0.1-0.3 s a frame.
        seen.logo_note = f"not needed: the end card names {named} with its web address"
        p.stage(Stage.LOGOS, f"{label}skipped: {seen.logo_note}", at)
        return []
    todo = [f for f in pick_spread(frames, LOGO_FRAME_CAP[ctx.job.ocr_mode])
            if f.index not in seen.logos]
    p.stage(Stage.LOGOS, f"{label}matching logos in {len(todo)} frames", at)
    with ctx.timer("logos"):
        try:
            matcher = evidence_models.get_logo_matcher(ctx.settings)
        except RuntimeError as exc:
            if not seen.logo_note:
                p.event(f"logos skipped: {exc}")
            seen.logo_note = str(exc)
            return []
        card = end_card(frames)
        for frame in todo:
            seen.logos[frame.index] = not_text(
                matcher.detect([frame], closer=frame.index == card),
                seen.readings.get(frame.index, []))
    found = best_per_brand(det for frame in frames for det in seen.logos.get(frame.index, []))
    if todo:
        p.event(f"{label}logos: " + (", ".join(
            f"{d.brand} ({d.score:.2f}) at {d.timestamp:.1f}s" for d in found[:5])
            if found else "none recognised"))
    return found


def end_card(frames: list[Frame]) -> int | None:
    """The index of the latest of `frames`, None when there are none: the end card, where a
    logo-only ad shows its mark (often small, in a corner). Only it is looked at closer
    (LogoMatcher.detect's `closer`): every frame so would cost ~0.15 s each."""
    last = max(frames, key=lambda f: f.timestamp, default=None)
    return None if last is None else last.index


# OCR reads a symbol as a letter or two ("00" off Audi's rings, "O" off Target's bullseye, "A"
# off Strava's chevrons). Such a reading is no word around the logo: when it is this short and the
# logo fills this much of its box, the text is the logo misread, not the logo a glyph of text.
MISREAD_CHARS = 3
MISREAD_FILL = 0.35
# A mark of repeated elements is read as one glyph repeated: Audi's four rings as "0000". No word
# is one letter repeated, so such a reading counts as the logo misread up to this length.
MISREAD_REPEATED = 6


def not_text(logos: list[LogoDetection], lines: list[OcrLine]) -> list[LogoDetection]:
    """Drop a 'logo' that is a glyph of text OCR read in the same frame (an 'h' in 'Fresh'
    matched as a letter-shaped logo), unless that text names the logo's brand (a wordmark) or is
    only the logo itself read as a character or two."""
    kept = []
    for det in logos:
        inside = next((ln for ln in lines if len(ln.box) == 4 and len(det.box) == 4
                       and _covered(det.box, ln.box) >= 0.6), None)
        if inside is None or _compact(det.brand) in _compact(inside.text) \
                or _misread(det.box, inside):
            kept.append(det)
    return kept


def _misread(box: list[float], line: OcrLine) -> bool:
    chars = _compact(line.text)
    short = len(chars) <= MISREAD_CHARS or (len(chars) <= MISREAD_REPEATED
                                              and len(set(chars)) == 1)
    return short and _covered(line.box, box) >= MISREAD_FILL


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
