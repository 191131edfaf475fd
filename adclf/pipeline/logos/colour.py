"""The brand's colour as a second witness to a logo's shape.

A plain mark (a bullseye, a ring, a dot on a disc) fits its icon and a generic shape almost
equally, so shape alone must refuse it. Brands print their marks in their own colour, or white
on it: when the candidate or what is right around it has the brand's colour (Simple Icons' `hex`),
the shape needs less distinctness. Black, white and greys say nothing (a thousand brands are
black), so only chromatic brand colours count."""

from __future__ import annotations

import cv2
import numpy as np

from adclf.pipeline.logos.segment import Candidate

MIN_CHROMA = 20.0  # Lab chroma under which a brand colour is a grey and says nothing
AGREE = 14.0  # Lab distance (CIE76) within which a seen colour is the brand's
RING = 4  # work pixels around the silhouette read as its backdrop


def hex_lab(hexc: str | None) -> np.ndarray | None:
    """A Simple Icons hex colour in Lab (L 0-100), or None when absent or achromatic."""
    if not hexc or len(hexc) != 6:
        return None
    try:
        rgb = [int(hexc[i:i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        return None
    lab = to_lab(np.array([[rgb]], np.uint8))[0, 0]
    return lab if float(np.hypot(lab[1], lab[2])) >= MIN_CHROMA else None


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB -> float32 Lab in CIE units."""
    return np.asarray(cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB))


def seen_colours(lab: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """Per candidate (rows), its own colour and its backdrop's (median Lab inside its silhouette,
    and in a RING-pixel band around it): shape (n, 2, 3); NaN where too few pixels."""
    out = np.full((len(cands), 2, 3), np.nan, np.float32)
    h, w = lab.shape[:2]
    kernel = np.ones((2 * RING + 1, 2 * RING + 1), np.uint8)
    for i, c in enumerate(cands):
        x0, y0, x1, y1 = c.box
        m = cv2.copyMakeBorder(c.mask, RING, RING, RING, RING, cv2.BORDER_CONSTANT, value=0)
        band = cv2.dilate(m, kernel) - m
        ax0, ay0 = x0 - RING, y0 - RING
        sx0, sy0 = max(0, ax0), max(0, ay0)
        sx1, sy1 = min(w, x1 + RING), min(h, y1 + RING)
        sub = lab[sy0:sy1, sx0:sx1]
        crop = (slice(sy0 - ay0, sy1 - ay0), slice(sx0 - ax0, sx1 - ax0))
        for j, region in enumerate((m[crop], band[crop])):
            pix = sub[region > 0]
            if len(pix) >= 8:
                out[i, j] = np.median(pix, axis=0)
    return out


def agreement(seen: np.ndarray, brand: np.ndarray) -> np.ndarray:
    """seen (n, 2, 3) against brand colours (n, k, 3), NaN rows for none: (n, k) True where the
    candidate or its backdrop has that brand's colour."""
    d = np.linalg.norm(seen[:, None, :, :] - brand[:, :, None, :], axis=-1)  # n, k, 2
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(d, nan=np.inf).min(-1) <= AGREE
