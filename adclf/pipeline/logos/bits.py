"""64 x 64 silhouettes packed one uint64 per row, so overlap counts over many (candidate, gallery)
pairs and shifts are a few vectorised AND/OR/popcount passes instead of per-pair image ops."""

from __future__ import annotations

import numpy as np

from adclf.pipeline.logos.shapes import CANVAS

assert CANVAS == 64  # one uint64 per canvas row


def pack(masks: np.ndarray) -> np.ndarray:
    """(..., 64, 64) bool -> (..., 64) uint64; bit j of a row word = column j."""
    b = np.ascontiguousarray(np.packbits(masks.astype(bool), axis=-1, bitorder="little"))
    return b.view("<u8").reshape(masks.shape[:-1])


def shift(p: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move packed silhouettes dy rows down and dx columns right (zeros come in)."""
    out = np.zeros_like(p)
    if dy > 0:
        out[..., dy:] = p[..., :-dy]
    elif dy < 0:
        out[..., :dy] = p[..., -dy:]
    else:
        out[...] = p
    if dx > 0:
        out <<= np.uint64(dx)
    elif dx < 0:
        out >>= np.uint64(-dx)
    return out


def dilate(p: np.ndarray) -> np.ndarray:
    """3 x 3 dilation."""
    h = p | (p << np.uint64(1)) | (p >> np.uint64(1))
    return h | shift(h, 1, 0) | shift(h, -1, 0)


def count(p: np.ndarray) -> np.ndarray:
    """Set pixels per silhouette: (..., 64) -> (...)."""
    return np.bitwise_count(p).sum(axis=-1, dtype=np.int64)


SHIFTS = [(dy, dx) for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2)]


def fit(c: np.ndarray, g: np.ndarray, gd: np.ndarray, care: np.ndarray) -> np.ndarray:
    """Agreement 0..1 of candidate silhouettes c with gallery silhouettes g (gd = dilate(g)),
    pairwise over the leading axes, best over shifts of up to 2 pixels. It averages the strict
    IoU (a wrong shape loses) and a one-pixel-tolerant F-measure (a thin stroke drawn a pixel
    off is not punished twice). Pixels outside `care` (hidden strips) count for nothing."""
    g = g & care
    gd = gd & care
    ng = count(g)
    best = np.zeros(c.shape[:-1])
    for dy, dx in SHIFTS:
        cs = shift(c, dy, dx) & care
        nc = count(cs)
        inter = count(cs & g)
        iou = inter / np.maximum(nc + ng - inter, 1)
        p = count(cs & gd) / np.maximum(nc, 1)
        r = count(g & dilate(cs)) / np.maximum(ng, 1)
        f = 2 * p * r / np.maximum(p + r, 1e-6)
        best = np.maximum(best, (iou + f) / 2)
    return best
