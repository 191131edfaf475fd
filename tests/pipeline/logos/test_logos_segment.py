"""Candidate regions (segment.py): the pure-white/black candidates kept for matching."""

from __future__ import annotations

import numpy as np
import pytest

from adclf.pipeline.logos import segment
from adclf.pipeline.logos.segment import (
    Candidate,
    _distinct,
    box_iou,
    candidates,
    pure_candidates,
)


def _cand(box: tuple[int, int, int, int]) -> Candidate:
    return Candidate(np.ones((box[3] - box[1], box[2] - box[0]), np.uint8), box)


def test_one_region_grouped_at_several_radii_takes_one_slot() -> None:
    patch = [_cand((339, 256, 520, 338)), _cand((339, 256, 501, 338)),
             _cand((341, 258, 518, 338))]
    mark = _cand((275, 107, 352, 173))
    kept = _distinct([*patch, _cand((0, 0, 100, 93)), mark], 3)
    assert [c.box for c in kept] == [(339, 256, 520, 338), (0, 0, 100, 93), mark.box]


def test_a_white_mark_beside_large_dark_patches_is_a_pure_candidate() -> None:
    # four dark patches, each also grouped with its crumbs at the wider radii, larger than the
    # mark: by area alone they filled the pure slots (Dropbox on footage, tune split)
    img = np.full((360, 640, 3), 150, np.uint8)
    for x0 in (10, 170, 330, 490):
        img[250:340, x0:x0 + 120] = 5
        img[250:340, x0 + 124:x0 + 128] = 5  # a crumb beside it, 4 px away
    img[100:160, 280:300] = 255  # the mark: two white bars 10 px apart
    img[100:160, 310:330] = 255
    boxes = [c.box for c in pure_candidates(img)]
    assert any(abs(b[0] - 280) <= 3 and abs(b[2] - 330) <= 3 for b in boxes), boxes


def _busy_card_with_a_dim_mark() -> np.ndarray:
    """A dark-blue backdrop, 64 small white squares (captions' letters, a road's stripes: strong
    outlines) and one large mark in a dark green close to the backdrop (a weak outline)."""
    img = np.zeros((360, 640, 3), np.uint8)
    img[:] = (40, 50, 82)
    img[:, :, 2] = np.linspace(70, 100, 640, dtype=np.uint8)[None, :]  # a sky's gradient
    for k in range(64):  # hollow squares: strong outlines inside their boxes too
        x, y = 12 + (k % 16) * 39, 246 + (k // 16) * 28
        img[y:y + 22, x:x + 22] = 255
        img[y + 5:y + 17, x + 5:x + 17] = (40, 50, 82)
    yy, xx = np.mgrid[:360, :640]
    r = np.hypot(xx - 320, yy - 120)
    img[(r < 80) & ((r > 55) | (np.abs(xx - 320) < 12))] = (0, 88, 60)  # a ring with a bar
    return img


def test_a_large_dim_mark_among_strong_small_outlines_is_a_candidate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Starbucks' green siren over a stormy sky ranked 48th of 110 by outline strength, under a
    # road's stripes and boxed captions, and was never matched (a logo-only render)
    img = _busy_card_with_a_dim_mark()
    mark = (240, 40, 400, 200)

    def found() -> bool:
        return any(box_iou(c.box, mark) > 0.9 for c in candidates(img))

    assert found()
    monkeypatch.setattr(segment, "LARGE_CANDIDATES", 0)
    assert not found(), "the mark is among the strongest outlines: the test proves nothing"


def test_large_regions_that_run_off_the_frame_take_no_large_slot() -> None:
    edge = (0, 0, 200, 120)  # a patch of sky reaching the frame's corner, larger than the mark
    inside = segment._largest_inside(
        [Candidate(np.ones((120, 200), np.uint8), edge),
         Candidate(np.ones((160, 160), np.uint8), (240, 40, 400, 200))], (360, 640), set())
    assert [c.box for c in inside] == [(240, 40, 400, 200)]
