"""Candidate regions (segment.py): the pure-white/black candidates kept for matching."""

from __future__ import annotations

import numpy as np

from adclf.pipeline.logos.segment import Candidate, _distinct, pure_candidates


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
