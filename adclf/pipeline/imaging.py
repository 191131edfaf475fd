"""Cheap measures of one frame (an RGB uint8 array): a small grey copy, a thumbnail, how much two
thumbnails differ, sharpness, and whether a frame is black.

One implementation serves both the sampler (frames.py), which drops black frames and near-duplicate
pictures, and the chat providers' frame choice (providers/images.py), which picks a few distinct,
sharp frames for the model. Each caller keeps its own thresholds: the defaults below are the
sampler's, the providers pass theirs."""

from __future__ import annotations

import cv2
import numpy as np

GREY_WIDTH = 320  # every measure is taken from a copy at most this wide
THUMB_SIZE = (64, 36)  # width, height of the sampler's near-duplicate thumbnails
BLACK_MEAN = 35.0  # grey level (0..255) below which a frame may be black ...
BLACK_SPREAD = 40.0  # ... if its 0.5..99.5 percentile spread is also below this


def small_grey(image: np.ndarray, width: int = GREY_WIDTH) -> np.ndarray:
    """One cheap downscaled grey copy from which every measure below is taken (grey first, so
    the area filter works on one channel instead of three)."""
    h, w = image.shape[:2]
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    if w <= width:
        return grey
    height = max(1, round(h * width / w))
    return cv2.resize(grey, (width, height), interpolation=cv2.INTER_AREA)


def thumbnail(
    image: np.ndarray, grey: np.ndarray | None = None, size: tuple[int, int] = THUMB_SIZE
) -> np.ndarray:
    """Fixed-size grey thumbnail (values 0..1) for near-duplicate tests; the aspect is ignored on
    purpose, so every frame of a video compares pixel for pixel."""
    grey = small_grey(image) if grey is None else grey
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0


def thumb_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two thumbnails (0..1): a global change (new scene, fade)."""
    return float(np.mean(np.abs(a - b)))


def changed_share(a: np.ndarray, b: np.ndarray, step: float) -> float:
    """Share of thumbnail pixels that changed by more than `step` (0..1): a new text line on the
    same background changes a few pixels strongly, which the mean difference dilutes."""
    return float((np.abs(a - b) > step).mean())


def is_near_black(
    image: np.ndarray, grey: np.ndarray | None = None, *,
    max_mean: float = BLACK_MEAN, max_spread: float = BLACK_SPREAD,
) -> bool:
    """Dark AND flat. A black end card with white text is dark on average but has strong
    contrast (its bright text pixels lift the top percentile), so it is kept."""
    grey = small_grey(image) if grey is None else grey
    if float(grey.mean()) >= max_mean:
        return False
    low, high = np.percentile(grey, (0.5, 99.5))
    return float(high - low) < max_spread


def sharpness(image: np.ndarray, grey: np.ndarray | None = None) -> float:
    """Variance of the Laplacian of the small grey copy: enough to rank frames of one video."""
    grey = small_grey(image) if grey is None else grey
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())
