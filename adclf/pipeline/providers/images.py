"""The pictures a chat model is shown: which frames (few, distinct, the end card first) and their
JPEG encoding. The measures are imaging.py's; the thresholds here are this choice's own."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from adclf.pipeline import imaging
from adclf.pipeline.types import Frame

MAX_IMAGES = 4
MAX_IMAGE_SIDE = 768
JPEG_QUALITY = 85
THUMB_SIZE = (96, 96)  # finer than the sampler's: one new text line must show
# A frame is black for the model when darker than this and flat (about a 6-level standard
# deviation of noise): stricter than the sampler, which already dropped its black frames.
BLACK_MEAN = 12.0
BLACK_SPREAD = 31.0
# Distinct when a share of pixels changed strongly (a new text line on the same background) or
# the picture changed on average (new scene, fade); encoder noise moves many pixels only slightly.
CHANGE_STEP = 24 / 255
CHANGED_SHARE = 0.01
MEAN_CHANGE = 6 / 255


def select_frames(frames: Sequence[Frame], limit: int = MAX_IMAGES) -> list[Frame]:
    """Up to `limit` frames for the model: the last non-black one (the end card usually carries the
    brand), then the sharpest frames that look different from those already chosen. Near-duplicates
    are left out rather than used as filler: they cost context and add nothing."""
    if not frames or limit <= 0:
        return []
    greys = {id(f): imaging.small_grey(f.image) for f in frames}
    thumbs = {id(f): imaging.thumbnail(f.image, greys[id(f)], THUMB_SIZE) for f in frames}
    usable = [
        f for f in frames
        if not imaging.is_near_black(f.image, greys[id(f)], max_mean=BLACK_MEAN,
                                     max_spread=BLACK_SPREAD)
    ] or list(frames)
    end_card = max(usable, key=lambda f: f.timestamp)
    chosen = [end_card]

    def sharp(frame: Frame) -> float:
        # the sampler measured it already; frames from elsewhere are measured the same way
        if frame.sharpness > 0:
            return frame.sharpness
        return imaging.sharpness(frame.image, greys[id(frame)])

    for frame in sorted(usable, key=sharp, reverse=True):
        if len(chosen) >= limit:
            break
        if frame is end_card:
            continue
        if all(_distinct(thumbs[id(frame)], thumbs[id(c)]) for c in chosen):
            chosen.append(frame)
    return sorted(chosen, key=lambda f: f.timestamp)


def _distinct(a: np.ndarray, b: np.ndarray) -> bool:
    return (imaging.changed_share(a, b, CHANGE_STEP) >= CHANGED_SHARE
            or imaging.thumb_diff(a, b) >= MEAN_CHANGE)


def encode_jpeg(image: np.ndarray, max_side: int = MAX_IMAGE_SIDE) -> bytes:
    """RGB uint8 array -> JPEG bytes whose longest side is at most `max_side`."""
    img = Image.fromarray(np.ascontiguousarray(image)).convert("RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()
