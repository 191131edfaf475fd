"""The brand-colour witness: Simple Icons hex colours in Lab, and the colours a candidate shows."""

from __future__ import annotations

import numpy as np

from adclf.pipeline.logos.colour import agreement, hex_lab, seen_colours, to_lab
from adclf.pipeline.logos.segment import Candidate


def test_greys_and_bad_hexes_are_no_brand_colour() -> None:
    for h in ("000000", "FFFFFF", "777777", "1A1A1B", None, "", "12345", "GGGGGG"):
        assert hex_lab(h) is None, h
    red = hex_lab("CC0000")
    assert red is not None and 40 < red[0] < 50 and red[1] > 60  # L*, a* of a strong red


def test_a_candidate_shows_its_own_colour_and_its_backdrops() -> None:
    img = np.full((60, 80, 3), (119, 100, 250), np.uint8)  # Osano's violet backdrop
    img[20:40, 30:50] = 255  # a white mark on it
    mask = np.ones((20, 20), np.uint8)
    seen = seen_colours(to_lab(img), [Candidate(mask, (30, 20, 50, 40))])
    assert seen.shape == (1, 2, 3)
    assert abs(seen[0, 0, 0] - 100) < 1  # the mark: white
    violet = hex_lab("7764FA")
    assert violet is not None
    assert np.linalg.norm(seen[0, 1] - violet) < 2  # the band around it: the backdrop


def test_agreement_takes_either_the_mark_or_its_backdrop() -> None:
    orange, violet = hex_lab("FF7100"), hex_lab("7764FA")
    assert orange is not None and violet is not None
    white = to_lab(np.array([[[255, 255, 255]]], np.uint8))[0, 0]
    seen = np.stack([np.stack([orange, white]), np.stack([white, violet]),
                     np.stack([white, white])])
    brands = np.stack([np.stack([orange, violet, np.full(3, np.nan)])] * 3)
    got = agreement(seen, brands.astype(np.float32))
    assert got.tolist() == [[True, False, False], [False, True, False], [False, False, False]]
