"""The frame measures shared by the sampler and the providers' frame choice."""

from __future__ import annotations

import cv2
import numpy as np

from adclf.pipeline.imaging import (
    changed_share,
    is_near_black,
    sharpness,
    small_grey,
    thumb_diff,
    thumbnail,
)


def _card(text: str, background: int = 40) -> np.ndarray:
    image = np.full((720, 1280, 3), background, np.uint8)
    cv2.putText(image, text, (300, 380), cv2.FONT_HERSHEY_SIMPLEX, 3, (255, 255, 255), 6)
    return image


def test_small_grey_keeps_aspect_and_small_images() -> None:
    assert small_grey(_card("A")).shape == (180, 320)
    assert small_grey(np.zeros((100, 200, 3), np.uint8)).shape == (100, 200)
    assert small_grey(np.zeros((640, 360, 3), np.uint8)).shape == (569, 320)


def test_thumbnail_size_and_scale() -> None:
    thumb = thumbnail(_card("A"))
    assert thumb.shape == (36, 64) and thumb.dtype == np.float32
    assert float(thumb.min()) >= 0.0 and float(thumb.max()) <= 1.0
    assert thumbnail(_card("A"), size=(96, 96)).shape == (96, 96)


def test_a_text_change_shows_in_the_changed_share_more_than_in_the_mean() -> None:
    a, b = thumbnail(_card("Pain frais")), thumbnail(_card("Croissants"))
    assert thumb_diff(a, a) == 0.0 and changed_share(a, a, 0.1) == 0.0
    assert thumb_diff(a, b) < 0.03  # a few pixels: small on average ...
    assert changed_share(a, b, 24 / 255) > 0.01  # ... but strongly changed
    other_scene = thumbnail(_card("Pain frais", background=200))
    assert thumb_diff(a, other_scene) > 0.3


def test_near_black_judges_brightness_and_contrast() -> None:
    black = np.zeros((360, 640, 3), np.uint8)
    assert is_near_black(black)
    noisy = np.clip(black.astype(int) + np.random.default_rng(1).integers(0, 12, black.shape),
                    0, 255).astype(np.uint8)
    assert is_near_black(noisy)
    card = black.copy()
    card[160:200, 220:420] = 255  # white text-sized block on black: an end card
    assert not is_near_black(card)
    assert not is_near_black(np.full((360, 640, 3), 90, np.uint8))  # dim grey is not black


def test_near_black_thresholds_belong_to_the_caller() -> None:
    dark = np.full((360, 640, 3), 20, np.uint8)
    assert is_near_black(dark)
    assert not is_near_black(dark, max_mean=12.0)


def test_sharpness_ranks_crisp_text_above_blur() -> None:
    crisp = _card("ACME")
    blurred = cv2.GaussianBlur(crisp, (31, 31), 8)
    assert sharpness(crisp) > 3 * sharpness(blurred)
    assert sharpness(np.full((360, 640, 3), 128, np.uint8)) == 0.0
