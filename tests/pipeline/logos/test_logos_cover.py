"""Where a candidate may be hidden: stickers beside it and filled corner blocks in it."""

from __future__ import annotations

import numpy as np

from adclf.pipeline.logos.cover import covers, flat_regions, hidden_rect
from adclf.pipeline.logos.segment import Candidate


def ring(size: int = 100) -> np.ndarray:
    yy, xx = np.mgrid[:size, :size]
    r = np.hypot(yy - size / 2, xx - size / 2)
    return ((r < size / 2) & (r > size / 3)).astype(np.uint8)


def test_a_sticker_of_another_colour_grows_the_box_over_its_corner() -> None:
    mark = ring()
    mark[70:, 70:] = 0  # what the sticker hides
    c = Candidate(mark[:, :], (200, 100, 300, 200))
    sticker = Candidate(np.ones((40, 40), np.uint8), (270, 170, 310, 210))
    (cov,) = covers(c, flat_regions([c, sticker]))
    assert cov.box == (0, 0, 110, 110)  # grown right and down over the sticker
    assert cov.hidden == (70, 70, 110, 110)


def test_a_band_across_the_mark_grows_the_box_along_one_axis_only() -> None:
    c = Candidate(ring()[:, 25:], (225, 100, 300, 200))
    band = Candidate(np.ones((160, 30), np.uint8), (196, 70, 226, 230))
    (cov,) = covers(c, flat_regions([c, band]))
    assert cov.box == (-29, 0, 75, 100)  # left by the band's width, not up or down
    assert cov.hidden == (-29, 0, 1, 100)


def test_a_sticker_of_the_marks_colour_is_a_filled_corner_block() -> None:
    mark = ring()
    mark[65:, 65:] = 1
    found = covers(Candidate(mark, (0, 0, 100, 100)), [])
    assert found and found[0].box == (0.0, 0.0, 100.0, 100.0)
    x0, y0, x1, y1 = found[0].hidden
    assert (x1, y1) == (100.0, 100.0) and 55 <= x0 <= 80 and 55 <= y0 <= 80


def test_no_cover_for_plain_shapes_far_regions_or_backdrops() -> None:
    square = Candidate(np.ones((80, 80), np.uint8), (0, 0, 80, 80))
    assert covers(square, []) == []  # a filled shape is not a mark with a sticker
    c = Candidate(ring(), (200, 100, 300, 200))
    far = Candidate(np.ones((40, 40), np.uint8), (400, 300, 440, 340))
    panel = Candidate(np.ones((300, 300), np.uint8), (100, 50, 400, 350))
    speckle = Candidate((np.arange(1600).reshape(40, 40) % 3 == 0).astype(np.uint8),
                        (270, 170, 310, 210))
    assert covers(c, flat_regions([c, far, panel, speckle])) == []


def test_hidden_rect_lands_where_normalise_puts_the_crop() -> None:
    m = hidden_rect((100, 100), (0.0, 0.0, 100.0, 100.0), (50.0, 50.0, 100.0, 100.0))
    assert m[40, 40] and m[62, 62] and not m[10, 10] and not m[30, 10]
