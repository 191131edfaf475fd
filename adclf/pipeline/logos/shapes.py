"""Shape normalisation shared by the gallery build, user logos and the matcher.

A shape is a binary silhouette. It is cropped to its bounding box and drawn, aspect ratio kept,
centred in a CANVAS x CANVAS square: that makes it independent of scale and position, and a
silhouette carries no colour, so matching is colour-invariant by construction."""

from __future__ import annotations

import cv2
import numpy as np

CANVAS = 64  # verification resolution (pixels per side)
PAD = 2  # empty border so a one-pixel shift search never clips the shape
DESC = 16  # retrieval descriptor resolution (DESC * DESC floats)


def tight_crop(mask: np.ndarray) -> np.ndarray | None:
    """The mask cropped to its non-zero bounding box, or None when it is empty."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def placement(box: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """(scale, x offset, y offset) that put `box` (crop pixels) centred on the canvas: canvas =
    crop * scale + offset."""
    bx0, by0, bx1, by1 = box
    bw, bh = bx1 - bx0, by1 - by0
    scale = (CANVAS - 2 * PAD) / max(bw, bh)
    ox = PAD + ((CANVAS - 2 * PAD) - bw * scale) / 2 - bx0 * scale
    oy = PAD + ((CANVAS - 2 * PAD) - bh * scale) / 2 - by0 * scale
    return scale, ox, oy


def normalise(crop: np.ndarray, box: tuple[float, float, float, float] | None = None) -> np.ndarray:
    """A soft (0..1 float32) CANVAS x CANVAS silhouette of a cropped binary mask.

    box, in the crop's pixel coordinates, is the frame of reference to normalise to; it defaults
    to the crop itself. A box larger than the crop is how the matcher states "this shape may
    continue, hidden, into the extra strip" (a partly covered logo)."""
    h, w = crop.shape
    scale, ox, oy = placement(box if box is not None else (0.0, 0.0, float(w), float(h)))
    m = np.array([[scale, 0, ox], [0, scale, oy]], np.float32)
    src: np.ndarray = crop.astype(np.float32)
    if src.max() > 1.0:
        src /= 255.0
    # INTER_AREA is what cv2.warpAffine lacks: pre-shrink big crops so thin strokes survive
    if scale < 0.5:
        f = max(1, int(1 / scale / 2))
        src = np.asarray(
            cv2.resize(src, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
        )
        m[:, :2] *= f
    out = cv2.warpAffine(src, m, (CANVAS, CANVAS), flags=cv2.INTER_LINEAR, borderValue=(0.0,))
    return np.clip(out, 0.0, 1.0)


def descriptor(canvas: np.ndarray, care: np.ndarray | None = None) -> np.ndarray:
    """Retrieval vector: a blurred DESC x DESC thumbnail mapped to -1..1 and L2-normalised, so the
    dot product of two descriptors rewards agreement on shape and on background alike. Cells
    outside `care` (a hidden strip) are 0: they neither reward nor punish."""
    small = cv2.resize(canvas, (DESC, DESC), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (3, 3), 0.6)
    v = (small.reshape(-1) * 2.0 - 1.0).astype(np.float32)
    if care is not None:
        weight = cv2.resize(care.astype(np.float32), (DESC, DESC), interpolation=cv2.INTER_AREA)
        v *= (weight.reshape(-1) >= 0.999).astype(np.float32)
    return v / (np.linalg.norm(v) + 1e-6)


def binarise(canvas: np.ndarray) -> np.ndarray:
    return canvas >= 0.5


def mask_from_rgba(rgba: np.ndarray) -> np.ndarray:
    """Foreground of a logo image: its alpha where it has one, else whatever differs from the
    border colour (a logo on a plain backdrop)."""
    if rgba.ndim == 3 and rgba.shape[2] == 4 and int(rgba[..., 3].min()) < 250:
        return (rgba[..., 3] >= 128).astype(np.uint8)
    rgb = rgba[..., :3].astype(np.int16) if rgba.ndim == 3 else np.dstack([rgba] * 3)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    bg = np.median(border, axis=0)
    diff = np.abs(rgb - bg).max(axis=2)
    return (diff >= 48).astype(np.uint8)


def hidden_strip(shape: tuple[int, int], box: tuple[float, float, float, float]) -> np.ndarray:
    """Canvas pixels of `box` that lie outside the crop (the part assumed hidden), as a bool
    CANVAS x CANVAS mask; normalise(crop, box) puts the crop and box exactly there."""
    h, w = shape
    bx0, by0, bx1, by1 = box
    scale, ox, oy = placement(box)
    out = np.zeros((CANVAS, CANVAS), bool)

    def span(a: float, b: float) -> slice:
        return slice(max(0, int(round(a))), min(CANVAS, int(round(b))))

    out[span(oy + by0 * scale, oy + by1 * scale), span(ox + bx0 * scale, ox + bx1 * scale)] = True
    out[span(oy, oy + h * scale), span(ox, ox + w * scale)] = False
    return out
