"""Where a candidate silhouette may be partly hidden by something flat lying on it: a sticker, a
price tag, a product shot, a band (issue 11: matching must survive partial cover).

The matcher's side strips (matcher.HYPOTHESES) state "the logo continues, hidden, beyond one
side". Two other covers are common and they do not fit that:

- a sticker of *another* colour over part of the mark: it is its own flat region, lying inside
  or against the candidate's box. The logo's box is the candidate's grown over the sticker (along
  both axes for a corner, along one for a band crossing the mark), and the sticker's pixels are
  unknown;
- a sticker of the mark's *own* colour: segmentation merges it into the silhouette, so the
  candidate carries a filled rectangle in one corner of its box. The box is right; those pixels
  are unknown.

Each is a `Cover`: the box to normalise to (in the candidate's crop pixels, possibly larger than
the crop) and the rectangle whose pixels neither reward nor punish a fit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adclf.pipeline.logos.segment import Candidate

FLAT_FILL = 0.92  # a sticker fills its own box
# of the candidate's side: a smaller sticker says nothing, a larger one is not a cover
MIN_SHARE, MAX_SHARE = 0.15, 0.6
TOUCH = 3  # work pixels between a sticker and the mark it lies on
CORNER_FILL = 0.97  # a merged sticker: a corner block this full
FILLED = 0.85  # a candidate this full of its box is a plain shape, not a mark with a sticker
CORNER_STEPS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
MAX_COVERS = 4  # per candidate


@dataclass(frozen=True)
class Cover:
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in crop pixels
    hidden: tuple[float, float, float, float]  # the unknown rectangle, in crop pixels


def flat_regions(cands: list[Candidate]) -> list[Candidate]:
    """The candidates that may be a sticker: each fills its own box (computed once per frame,
    not once per candidate they might cover)."""
    return [r for r in cands if r.mask.mean() >= FLAT_FILL]


def covers(c: Candidate, flat: list[Candidate]) -> list[Cover]:
    """The covers worth trying for `c`, the most plausible (largest sticker) first. `flat`: the
    frame's flat_regions."""
    found = [*_stickers(c, flat), *_merged_corners(c)]
    found.sort(key=lambda cv: -(cv.hidden[2] - cv.hidden[0]) * (cv.hidden[3] - cv.hidden[1]))
    return found[:MAX_COVERS]


def _stickers(c: Candidate, flat: list[Candidate]) -> list[Cover]:
    x0, y0, x1, y1 = c.box
    w, h = x1 - x0, y1 - y0
    out = []
    for r in flat:
        if r is c:
            continue
        rx0, ry0, rx1, ry1 = r.box
        rw, rh = rx1 - rx0, ry1 - ry0
        # against or on the candidate's box, not far off it
        if rx0 > x1 + TOUCH or rx1 < x0 - TOUCH or ry0 > y1 + TOUCH or ry1 < y0 - TOUCH:
            continue
        across_y = ry0 <= y0 + TOUCH and ry1 >= y1 - TOUCH  # a band crossing the mark top-down
        across_x = rx0 <= x0 + TOUCH and rx1 >= x1 - TOUCH
        if across_x and across_y:
            continue  # the mark lies on it: a backdrop panel, not a cover
        # the part of the sticker the logo can reach: its box grows by at most MAX_SHARE a side
        gx0, gx1 = max(rx0, x0 - MAX_SHARE * w), min(rx1, x1 + MAX_SHARE * w)
        gy0, gy1 = max(ry0, y0 - MAX_SHARE * h), min(ry1, y1 + MAX_SHARE * h)
        if across_y:
            gy0, gy1 = y0, y1
        if across_x:
            gx0, gx1 = x0, x1
        if gx1 <= gx0 or gy1 <= gy0:
            continue
        if not (MIN_SHARE * w <= gx1 - gx0 or across_x) or not (
                MIN_SHARE * h <= gy1 - gy0 or across_y):
            continue
        if rw * rh > 1.5 * w * h:
            continue
        bx0, by0 = min(x0, gx0), min(y0, gy0)
        bx1, by1 = max(x1, gx1), max(y1, gy1)
        if (bx1 - bx0) * (by1 - by0) > (1 + MAX_SHARE) ** 2 * w * h:
            continue
        out.append(Cover((bx0 - x0, by0 - y0, bx1 - x0, by1 - y0),
                         (gx0 - x0, gy0 - y0, gx1 - x0, gy1 - y0)))
    return out


def _merged_corners(c: Candidate) -> list[Cover]:
    m = c.mask
    h, w = m.shape
    if min(h, w) < 12 or m.mean() >= FILLED:
        return []  # a filled square or disc is not a mark with a sticker: the hull tells
    out = []
    for corner in range(4):
        best: tuple[int, int] | None = None
        for fy in CORNER_STEPS:
            for fx in CORNER_STEPS:
                bw, bh = int(round(fx * w)), int(round(fy * h))
                xs = slice(0, bw) if corner in (0, 2) else slice(w - bw, w)
                ys = slice(0, bh) if corner in (0, 1) else slice(h - bh, h)
                larger = best is None or bw * bh > best[0] * best[1]
                if larger and m[ys, xs].mean() >= CORNER_FILL:
                    best = (bw, bh)
        if best is None:
            continue
        bw, bh = best
        hx0 = 0 if corner in (0, 2) else w - bw
        hy0 = 0 if corner in (0, 1) else h - bh
        out.append(Cover((0.0, 0.0, float(w), float(h)),
                         (float(hx0), float(hy0), float(hx0 + bw), float(hy0 + bh))))
    return out


def hidden_rect(shape: tuple[int, int], box: tuple[float, float, float, float],
                rect: tuple[float, float, float, float]) -> np.ndarray:
    """Canvas pixels of `rect` (crop pixels) once the crop is normalised to `box`, as a bool
    CANVAS x CANVAS mask (shapes.normalise's placement)."""
    from adclf.pipeline.logos.shapes import CANVAS, placement

    scale, ox, oy = placement(box)
    out = np.zeros((CANVAS, CANVAS), bool)
    rx0, ry0, rx1, ry1 = rect
    # one canvas pixel of margin: the sticker's anti-aliased edge is unknown too
    out[max(0, int(oy + ry0 * scale) - 1): min(CANVAS, int(np.ceil(oy + ry1 * scale)) + 1),
        max(0, int(ox + rx0 * scale) - 1): min(CANVAS, int(np.ceil(ox + rx1 * scale)) + 1)] = True
    return out
