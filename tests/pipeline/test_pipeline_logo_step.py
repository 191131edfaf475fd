"""The logo stage of an attempt on real rendered frames with the shipped gallery: frames matched
once per job, glyphs of read text dropped, skipped when the end card names the brand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adclf.config import Settings
from adclf.domain import JobSettings, Stage
from adclf.pipeline.context import JobContext, Progress
from adclf.pipeline.logo_step import find_logos, named_by_address, not_text
from adclf.pipeline.types import Frame, LogoDetection, OcrLine
from tests.pipeline.logos import synth
from tests.pipeline.test_pipeline_runner import RecordingReporter

YELLOW, RED = (255, 199, 44), (200, 16, 46)


def context(tmp_path: Path, **settings: object) -> tuple[JobContext, RecordingReporter]:
    reporter = RecordingReporter()
    values: dict[str, object] = {"DATA_DIR": tmp_path, **settings}
    ctx = JobContext(Settings(**values), JobSettings(), tmp_path,  # type: ignore[arg-type]
                     Progress(reporter))
    ctx.duration = 6.0
    return ctx, reporter


def logo_frames() -> list[Frame]:
    rng = np.random.default_rng(7)
    card, _ = synth.logo_frame(synth.ICONS / "mcdonalds.svg", 0.3, YELLOW, synth.plain(RED), rng)
    return [Frame(1.0, synth.plain(synth.DARK), 0), Frame(5.0, card, 1)]


def test_logos_are_found_once_per_frame_and_merged_per_brand(tmp_path: Path) -> None:
    ctx, reporter = context(tmp_path)
    frames = logo_frames()
    found = find_logos(ctx, frames, "", 60.0, [])
    assert [(d.brand, d.timestamp) for d in found] == [("McDonald's", 5.0)]
    assert set(ctx.seen.logos) == {0, 1}
    assert reporter.events[-1].startswith("logos: McDonald's (")
    # a rescue over the same frames matches nothing again, and says nothing new
    events = len(reporter.events)
    assert find_logos(ctx, frames, "rescue full_video: ", 80.0, []) == found
    assert len(reporter.events) == events
    assert reporter.stages[-1][:2] == (Stage.LOGOS, "rescue full_video: matching logos in 0 frames")


def test_only_the_end_card_is_looked_at_closer(tmp_path: Path) -> None:
    # Starbucks' siren at a tenth of the width, as logo-only end cards place it in a corner: at
    # work size it is a near miss, and only the closer look names it. The same picture earlier in
    # the ad is matched the plain way (the closer look costs ~0.15 s a frame).
    green, backdrop = (0, 112, 74), synth.plain((244, 243, 240))
    small, _ = synth.logo_frame(synth.ICONS / "starbucks.svg", 0.1, green, backdrop,
                                np.random.default_rng(0))
    frames = [Frame(2.0, small, 0), Frame(5.0, synth.plain(synth.DARK), 1), Frame(6.0, small, 2)]
    ctx, _ = context(tmp_path)
    found = find_logos(ctx, frames, "", 60.0, [])
    assert [(d.brand, d.timestamp) for d in found] == [("Starbucks", 6.0)]
    assert ctx.seen.logos[0] == [] and ctx.seen.logos[1] == []
    # an attempt with no lit frame has no end card, and nothing to match
    assert find_logos(ctx, [], "rescue: ", 70.0, []) == []


def test_logos_off_or_not_needed_are_noted(tmp_path: Path) -> None:
    ctx, _ = context(tmp_path, LOGOS_ENABLED=False)
    assert find_logos(ctx, logo_frames(), "", 60.0, []) == []
    assert ctx.seen.logo_note == "logo recognition is off (LOGOS_ENABLED=false)"

    ctx, reporter = context(tmp_path)
    lines = [OcrLine("ZEPHYRA", 5.0, 0.97, 0.16, large=True), OcrLine("zephyra.com", 5.0, 0.9, 0.1)]
    assert find_logos(ctx, logo_frames(), "", 60.0, lines) == []
    assert ctx.seen.logos == {}
    assert ctx.seen.logo_note == "not needed: the end card names ZEPHYRA with its web address"
    assert reporter.stages[-1][1] == f"skipped: {ctx.seen.logo_note}"


@pytest.mark.parametrize(
    ("texts", "named"),
    [(["ZEPHYRA", "zephyra.com"], "ZEPHYRA"), (["ZEPHYRA", "Electric bikes"], ""), ([], "")],
)
def test_named_by_address_needs_the_web_address(texts: list[str], named: str) -> None:
    lines = [OcrLine(t, 5.0, 0.95, 0.12) for t in texts]
    assert named_by_address(lines, 6.0) == named


def test_a_logo_inside_read_text_is_a_glyph_unless_the_text_names_it() -> None:
    line = OcrLine("Fresh every morning", 3.0, 0.95, 0.06, box=[300.0, 230.0, 660.0, 280.0])
    glyph = LogoDetection("HackerOne", 0.52, 3.0, [334.5, 240.0, 357.0, 271.5])
    elsewhere = LogoDetection("Nike", 0.9, 3.0, [700.0, 100.0, 900.0, 200.0])
    assert not_text([glyph, elsewhere], [line]) == [elsewhere]
    wordmark = LogoDetection("Coca-Cola", 0.8, 3.0, [320.0, 235.0, 600.0, 278.0])
    script = OcrLine("Coca-Cola", 3.0, 0.9, 0.06, box=[300.0, 230.0, 660.0, 280.0])
    assert not_text([wordmark], [script]) == [wordmark]


@pytest.mark.parametrize(
    ("text", "line_box", "logo_box", "kept"),
    [
        # the logo read as characters: OCR's box is the logo's own (boxes from dev-set end cards)
        ("00", [458.7, 202.7, 824.0, 368.0], [474.0, 228.0, 806.0, 344.0], True),  # Audi's rings
        ("O", [435.0, 92.0, 836.0, 503.0], [474.0, 122.0, 806.0, 454.0], True),  # a bullseye
        # the four rings small in a corner, read as one glyph repeated (tune split, Audi)
        ("0000", [1027.0, 532.0, 1231.0, 617.0], [1036.0, 546.0, 1218.0, 610.0], True),
        ("OOOO", [1027.0, 532.0, 1231.0, 617.0], [1036.0, 546.0, 1218.0, 610.0], True),
        # a glyph among other letters, or a small mark inside a short word's box
        ("OPEN", [458.7, 202.7, 824.0, 368.0], [474.0, 228.0, 806.0, 344.0], False),
        ("ON", [100.0, 100.0, 1100.0, 600.0], [474.0, 228.0, 806.0, 344.0], False),
        ("BOOK", [458.7, 202.7, 824.0, 368.0], [474.0, 228.0, 806.0, 344.0], False),
        ("0000000", [1027.0, 532.0, 1231.0, 617.0], [1036.0, 546.0, 1218.0, 610.0], False),
    ],
)
def test_a_symbol_read_as_a_character_or_two_stays_a_logo(
        text: str, line_box: list[float], logo_box: list[float], kept: bool) -> None:
    logo = LogoDetection("Audi", 0.97, 16.6, logo_box)
    line = OcrLine(text, 16.6, 0.77, 0.23, box=line_box)
    assert not_text([logo], [line]) == ([logo] if kept else [])
