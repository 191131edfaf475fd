"""Candidate logo regions of a frame, as binary silhouettes.

A printed logo is a few regions of one flat colour. So: downscale to WORK_W, cut the frame into
flat-colour regions (colour clusters in Lab, split again along Canny edges in each Lab channel so
a textured photo falls apart into crumbs while a flat logo stays whole), then offer each large
region alone and each cluster of same-colour regions lying close together (multi-part logos,
wordmarks). Polarity and colour do not matter: every colour's regions are candidates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

WORK_W = 640  # a 6 %-of-width logo keeps ~38 px here: enough shape, and cheap
K = 8  # colour clusters before merging near-identical ones
MERGE = 14.0  # Lab distance under which two clusters are one colour (JPEG noise, gradients)
MIN_SIDE = 18  # smallest candidate's longer side in work pixels (~3 % of the frame width)
MIN_AREA = 60
MAX_CANDIDATES = 40
GROUP_RADII = (3, 9, 18)  # gaps bridged when grouping parts: letter spacing, detached marks
PURE_WHITE, PURE_BLACK = 235, 25  # every channel at least / at most this: a printed white / black
PURE_CANDIDATES = 6  # of those, kept besides the MAX_CANDIDATES strongest outlines
# the largest regions clear of the frame's edges, kept besides them too (see _largest_inside):
# 3 left Binance's mark out of two frames of four, behind groupings of it with a water splash
LARGE_CANDIDATES = 6
SAME_BOX = 0.8  # box IoU above which two pure candidates are one region grouped twice
# candidates up to this long (work pixels) are redrawn from the full-size frame too (sharpen)
SHARPEN_BELOW = 100
# a part whose outline is this many times the frame's median part's is printed, not a crumb of
# a texture (Dask's slabs 58-75 on a texture whose parts' median is 36, 99th percentile 50)
STRONG_PART = 1.35
STRONG_PART_AREA = 30  # work pixels: smaller parts are not judged (cost), nor grouped again


@dataclass
class Candidate:
    mask: np.ndarray  # uint8 0/1, cropped to box
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in work pixels (exclusive ends)
    strength: float = 0.0  # how much the outline stands out (see outline_strength)
    # the same silhouette redrawn from the full-size frame (see sharpen), over the same box
    fine: np.ndarray | None = None


def work_image(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """(the frame at WORK_W wide, frame pixels per work pixel)."""
    h, w = rgb.shape[:2]
    if w <= WORK_W:
        return rgb, 1.0
    scale = w / WORK_W
    return cv2.resize(rgb, (WORK_W, round(h / scale)), interpolation=cv2.INTER_AREA), scale


def colour_labels(lab: np.ndarray, seed: int = 0) -> np.ndarray:
    pix = lab.reshape(-1, 3).astype(np.float32)
    rng = np.random.default_rng(seed)  # fixed: the same frame always gives the same answer
    sample = pix[rng.integers(0, len(pix), min(len(pix), 3000))]
    cv2.setRNGSeed(seed)
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 8, 1.0)
    flags = cv2.KMEANS_PP_CENTERS
    # Through Any: opencv-python's stubs for kmeans changed between releases (5.0 rejects the
    # None for bestLabels, 5.1 accepts it), and a type: ignore is an error on one or the other.
    kmeans: Any = cv2.kmeans
    _, _, centres = kmeans(sample, K, None, crit, 1, flags)
    merged: list[np.ndarray] = []
    for c in centres:
        if all(np.linalg.norm(c - m) >= MERGE for m in merged):
            merged.append(c)
    cs = np.array(merged, np.float32)
    # nearest centre per 8 x 8 x 8 Lab bin, then one table look-up per pixel
    bins = np.arange(32, dtype=np.float32) * 8 + 4
    grid = np.stack(np.meshgrid(bins, bins, bins, indexing="ij"), -1).reshape(-1, 3)
    lut = ((grid[:, None, :] - cs[None]) ** 2).sum(-1).argmin(1).astype(np.uint8)
    q = (lab >> 3).astype(np.int32)
    return lut[(q[..., 0] << 10) | (q[..., 1] << 5) | q[..., 2]]


def edges(lab: np.ndarray) -> np.ndarray:
    e = np.asarray(cv2.Canny(lab[..., 0], 40, 100)) > 0
    e |= np.asarray(cv2.Canny(lab[..., 1], 24, 60)) > 0
    e |= np.asarray(cv2.Canny(lab[..., 2], 24, 60)) > 0
    return e


def candidates(work: np.ndarray) -> list[Candidate]:
    """Candidate silhouettes of a work-size RGB image."""
    lab = work_lab(work)
    labels = colour_labels(lab)
    labels[edges(lab)] = 255
    out: dict[tuple[int, int, int, int, int], Candidate] = {}
    for lab_id in np.unique(labels):
        if lab_id != 255:
            _regions((labels == lab_id).astype(np.uint8), out)
    grad = contrast(lab)
    _strong_groups(labels, grad, out)
    # A printed logo stands out from what is around it all along its outline; a crumb of a
    # textured photo does not. Keep the candidates with the strongest outlines, and the largest
    # pure ones whatever boxed captions beside them score (white on a pale photo: ~100 against
    # ~300 for a caption on its dark box).
    best = _strongest(out.values(), grad, MAX_CANDIDATES)
    seen = {c.box for c in best}
    for c in _largest_inside(out.values(), work.shape[:2], seen):
        c.strength = outline_strength(grad, c)
        best.append(c)
        seen.add(c.box)
    for c in pure_candidates(work):
        if c.box not in seen:
            c.strength = outline_strength(grad, c)
            best.append(c)
    for c in best:
        refine(lab, c)
    return best


def _strong_groups(labels: np.ndarray, grad: np.ndarray,
                   out: dict[tuple[int, int, int, int, int], Candidate]) -> None:
    """Multi-part logos over a busy backdrop: the parts of a logo whose colour cluster also takes
    crumbs of a texture or photo are grouped with those crumbs, and each part alone is no logo
    (Dask's three slabs on a texture: every group held crumbs). A printed part stands out all
    along its outline, a crumb does not: the parts whose outline is STRONG_PART times the
    frame's median part's are grouped again among themselves."""
    h, w = labels.shape
    kernel = np.ones((3, 3), np.uint8)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (components, parts, medians)
    for lab_id in np.unique(labels):
        if lab_id == 255:
            continue
        mask = (labels == lab_id).astype(np.uint8)
        n, cc, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
        ok = (stats[:, 4] >= STRONG_PART_AREA) & (stats[:, 2] < 0.9 * w) & (stats[:, 3] < 0.9 * h)
        ok[0] = False
        if not ok.any():
            continue
        # each part's outline, both sides of it (as outline_strength), all parts at once: its
        # own pixels next to another colour, and the pixels next to it outside
        inner = (mask > 0) & (cv2.erode(mask, kernel) == 0)
        grown = cv2.dilate(cc.astype(np.float32), kernel).astype(np.int32)
        ring = np.where(inner, cc, np.where(mask == 0, grown, 0))
        ring[~ok[ring]] = 0
        at = ring > 0
        ids, vals = ring[at], grad[at]
        order = np.lexsort((vals, ids))
        ids, vals = ids[order], vals[order]
        parts, first, counts = np.unique(ids, return_index=True, return_counts=True)
        medians = vals[first + (counts - 1) // 2]
        found.append((cc, parts, medians))
    if sum(len(p) for _, p, _ in found) < 2:
        return
    bar = STRONG_PART * float(np.median(np.concatenate([m for _, _, m in found])))
    for cc, parts, medians in found:
        strong = parts[medians >= bar]
        if len(strong) < 2:
            continue
        keep = np.zeros(int(cc.max()) + 1, np.uint8)
        keep[strong] = 1
        m = keep[cc]
        # only around the strong parts: grouping dilates and labels the whole mask per radius
        ys, xs = np.nonzero(m)
        pad = GROUP_RADII[-1] + 1
        x0, y0 = max(0, int(xs.min()) - pad), max(0, int(ys.min()) - pad)
        x1, y1 = min(w, int(xs.max()) + pad + 1), min(h, int(ys.max()) + pad + 1)
        _regions(m[y0:y1, x0:x1], out, (x0, y0), (h, w))


def _largest_inside(cands: Iterable[Candidate], shape: tuple[int, int],
                    taken: set[tuple[int, int, int, int]]) -> list[Candidate]:
    """The LARGE_CANDIDATES largest distinct regions that touch no edge of the frame, whatever
    their outlines score. A big mark in a dark brand colour over a dark photo stands out less
    all along its outline than the boxed captions and the crumbs of a busy road under it
    (Starbucks' green siren over a stormy sky ranked 48th of 110), but an end card's mark is
    its largest printed thing, and a photo's sky or road runs off the frame."""
    h, w = shape
    inside = [c for c in cands if c.box[0] > 0 and c.box[1] > 0 and c.box[2] < w
              and c.box[3] < h and c.box not in taken]
    return _distinct(sorted(inside, key=lambda c: (-int(c.mask.sum()), c.box)),
                     LARGE_CANDIDATES)


def pure_candidates(work: np.ndarray) -> list[Candidate]:
    """The PURE_CANDIDATES largest distinct regions of pure white or pure black. A logo printed
    pure white (or black) over footage: on a bright, busy photo its colour cluster also takes the
    photo's highlights and the mark falls apart or joins the backdrop; pixels at the very ends of
    the scale rarely belong to a photo."""
    pure: dict[tuple[int, int, int, int, int], Candidate] = {}
    _regions((work.min(axis=2) >= PURE_WHITE).astype(np.uint8), pure)
    _regions((work.max(axis=2) <= PURE_BLACK).astype(np.uint8), pure)
    return _distinct(sorted(pure.values(), key=lambda c: -int(c.mask.sum())), PURE_CANDIDATES)


def _distinct(cands: Iterable[Candidate], keep: int) -> list[Candidate]:
    """The first `keep` candidates whose boxes are not the box of one taken before: one region
    grouped at several radii is one candidate (a dark patch of footage took four of the six pure
    slots and left Dropbox's white diamonds out, tune split)."""
    taken: list[Candidate] = []
    for c in cands:
        if len(taken) >= keep:
            break
        if all(box_iou(c.box, t.box) < SAME_BOX for t in taken):
            taken.append(c)
    return taken


def box_iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _strongest(cands: Iterable[Candidate], grad: np.ndarray, keep: int) -> list[Candidate]:
    big = sorted(cands, key=lambda c: -int(c.mask.sum()))[: 3 * keep]
    for c in big:
        c.strength = outline_strength(grad, c)
    return sorted(big, key=lambda c: -c.strength)[:keep]


def _regions(m: np.ndarray, out: dict[tuple[int, int, int, int, int], Candidate],
             origin: tuple[int, int] = (0, 0), frame: tuple[int, int] | None = None) -> None:
    """Add the large regions of one binary mask, alone and in clusters of close regions. `m` may
    be a crop at `origin` (x, y) of a frame of size `frame` (h, w)."""
    h, w = frame or m.shape
    ox, oy = origin
    n, cc, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=4)
    sx, sy, sw, sh, sa = (stats[1:, i] for i in range(5))
    # parts: big enough to matter, not the backdrop itself
    ok = (sa >= 12) & (sw < 0.9 * w) & (sh < 0.9 * h)
    ids = np.nonzero(ok)[0] + 1
    if len(ids) == 0:
        return
    keep_lut = np.zeros(n, np.uint8)
    keep_lut[ids] = 1
    kept = keep_lut[cc]
    for i in ids:
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if max(bw, bh) >= MIN_SIDE and stats[i, 4] >= MIN_AREA:
            crop = (cc[y : y + bh, x : x + bw] == i).astype(np.uint8)
            fx, fy = x + ox, y + oy
            out.setdefault(
                (fx, fy, fx + bw, fy + bh, int(stats[i, 4])),
                Candidate(crop, (fx, fy, fx + bw, fy + bh)),
            )
    _nested(cc, stats, ids, out, (ox, oy))
    for r in GROUP_RADII:
        dil = cv2.dilate(kept, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2))
        gn, gcc, gstats, _ = cv2.connectedComponentsWithStats(dil, connectivity=8)
        for g in range(1, gn):
            x, y, bw, bh = (int(v) for v in gstats[g, :4])
            members = kept[y : y + bh, x : x + bw] & (gcc[y : y + bh, x : x + bw] == g)
            ys, xs = np.nonzero(members)
            if len(xs) < MIN_AREA:
                continue
            x0, y0, x1, y1 = x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1
            if max(x1 - x0, y1 - y0) < MIN_SIDE or (x1 - x0) >= 0.9 * w or (y1 - y0) >= 0.9 * h:
                continue
            key = (int(x0) + ox, int(y0) + oy, int(x1) + ox, int(y1) + oy, len(xs))
            if key not in out:
                crop = members[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.uint8)
                out[key] = Candidate(crop, key[:4])


def _nested(cc: np.ndarray, stats: np.ndarray, ids: np.ndarray,
            out: dict[tuple[int, int, int, int, int], Candidate], origin: tuple[int, int]) -> None:
    """A region with the parts inside its holes, however far in: a bullseye's dot sits a whole
    ring's width inside its outer ring (Target white on red: 28 work pixels, past every
    GROUP_RADII), a letter or a symbol inside a ring badge."""
    ox, oy = origin
    sx, sy, sw, sh, sa = (stats[ids, k] for k in range(5))
    ex, ey = sx + sw, sy + sh
    big = ids[(np.maximum(sw, sh) >= MIN_SIDE) & (sa >= MIN_AREA)]
    for i in big:
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        inner = ids[(sx > x) & (sy > y) & (ex < x + bw) & (ey < y + bh)]
        if len(inner) == 0:
            continue
        own = (cc[y : y + bh, x : x + bw] == i).astype(np.uint8)
        outside = cv2.copyMakeBorder(1 - own, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
        cv2.floodFill(outside, None, (0, 0), 2)
        holes = outside[1:-1, 1:-1] == 1
        crop = cc[y : y + bh, x : x + bw]
        # a part is inside when all its pixels are: counted once over the holes, not per part
        held, counts = np.unique(crop[holes], return_counts=True)
        members = held[np.isin(held, inner) & (counts == stats[held, 4])]
        if len(members) == 0:
            continue
        m = own | np.isin(crop, members).astype(np.uint8)
        key = (x + ox, y + oy, x + bw + ox, y + bh + oy, int(m.sum()))
        out.setdefault(key, Candidate(m, key[:4]))


def refine(lab: np.ndarray, c: Candidate) -> None:
    """Redraw the outline where the colour is nearer the shape's than its surroundings' (the
    half-way line of the anti-aliased edge, as the gallery's alpha >= 0.5): the edge map took the
    outermost pixels of the shape, and a thin stroke is mostly outline."""
    x0, y0, x1, y1 = c.box
    p = 3
    ax0, ay0 = x0 - p, y0 - p
    m = cv2.copyMakeBorder(c.mask, p, p, p, p, cv2.BORDER_CONSTANT, value=0)
    nearer = _nearer_shape(_patch(lab, c.box, p), m, grow=5, ring=7, shrink=3)
    if nearer is None:
        m = cv2.dilate(m, np.ones((3, 3), np.uint8))
    else:
        m = (nearer | (m > 0)).astype(np.uint8)
    ys, xs = np.nonzero(m)
    c.mask = m[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    c.box = (
        ax0 + int(xs.min()),
        ay0 + int(ys.min()),
        ax0 + int(xs.max()) + 1,
        ay0 + int(ys.max()) + 1,
    )


def grown(lab: np.ndarray, c: Candidate, steps: int) -> Candidate | None:
    """A copy of `c` refined up to `steps` more times, while its box still grows; None when it
    does not grow. A stroke two or three work pixels wide is mostly outline: the edge map takes
    both its sides, its crumbs fall under the size floor, and the candidate ends an arc short
    (Audi's rings at the frame's edge fitted their icon at 0.59). Each step takes in the
    neighbouring pixels nearer the shape's colour, so a cut stroke is followed back. Only for
    near misses (matcher.NEAR_FIT): four steps for every candidate flooded photos and textures
    (eval_logos seed 2026: recall 102 -> 87 of 150, two captions named as brands)."""
    out = Candidate(c.mask.copy(), c.box, c.strength)
    for _ in range(steps):
        box = out.box
        refine(lab, out)
        if out.box == box:
            break
    return None if out.box == c.box else out


def work_lab(work: np.ndarray) -> np.ndarray:
    """The work image as candidates() segments it: lightly blurred, in 8-bit Lab."""
    return np.asarray(cv2.cvtColor(cv2.GaussianBlur(work, (3, 3), 0), cv2.COLOR_RGB2LAB))


def _patch(lab: np.ndarray, box: tuple[int, int, int, int], p: int) -> np.ndarray:
    """`lab` over `box` grown by p on every side, as float32; zeros beyond the image."""
    x0, y0, x1, y1 = box
    h, w = lab.shape[:2]
    out = np.zeros((y1 - y0 + 2 * p, x1 - x0 + 2 * p, 3), np.float32)
    sx0, sy0, sx1, sy1 = max(0, x0 - p), max(0, y0 - p), min(w, x1 + p), min(h, y1 + p)
    out[sy0 - y0 + p : sy1 - y0 + p, sx0 - x0 + p : sx1 - x0 + p] = lab[sy0:sy1, sx0:sx1]
    return out


def _nearer_shape(sub: np.ndarray, m: np.ndarray, grow: int, ring: int,
                  shrink: int) -> np.ndarray | None:
    """The pixels within `grow` of the silhouette `m` whose colour (in `sub`, the same size) is
    nearer the shape's (median inside `m` shrunk by `shrink`) than its surroundings' (median of
    the band out to `ring`); None when either has too few pixels to tell."""
    near = cv2.dilate(m, np.ones((grow, grow), np.uint8))
    band = cv2.dilate(m, np.ones((ring, ring), np.uint8)) - near
    inner = sub[cv2.erode(m, np.ones((shrink, shrink), np.uint8)) > 0]
    outer = sub[band > 0]
    if len(inner) < 10 or len(outer) < 10:
        return None
    fg = np.median(inner, axis=0)
    bg = np.median(outer, axis=0)
    closer: np.ndarray = ((sub - fg) ** 2).sum(-1) < ((sub - bg) ** 2).sum(-1)
    return closer & (near > 0)


def contrast(lab: np.ndarray) -> np.ndarray:
    f = lab.astype(np.float32)
    gx = cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3)
    return np.sqrt(gx * gx + gy * gy).max(axis=2)


def outline_strength(grad: np.ndarray, c: Candidate) -> float:
    """Median gradient on the candidate's outline (both sides of it)."""
    x0, y0, x1, y1 = c.box
    h, w = grad.shape
    m = c.mask
    ring = cv2.dilate(m, np.ones((3, 3), np.uint8)) - cv2.erode(m, np.ones((3, 3), np.uint8))
    gx0, gy0 = max(0, x0), max(0, y0)
    sub = grad[gy0 : min(h, y1), gx0 : min(w, x1)]
    ring = ring[gy0 - y0 : gy0 - y0 + sub.shape[0], gx0 - x0 : gx0 - x0 + sub.shape[1]]
    vals = sub[ring > 0]
    return float(np.median(vals)) if len(vals) else 0.0


def sharpen(lab: np.ndarray, c: Candidate, scale: float) -> None:
    """Redraw the candidate from the full-size frame (`lab`, `scale` frame pixels per work
    pixel): at work size a gap or a stroke of a small mark is one pixel or less, and the
    work-size outline fills the gaps of a mark built of pieces (MapTiler's diamonds) or loses its
    thin lines (Node-RED's wires). Pixels near the work silhouette whose colour is nearer the
    shape's than its surroundings' make the fine one; it stays over the same box."""
    x0, y0, x1, y1 = c.box
    if max(x1 - x0, y1 - y0) >= SHARPEN_BELOW:
        return
    h, w = lab.shape[:2]
    fx0, fy0 = int(round(x0 * scale)), int(round(y0 * scale))
    fx1, fy1 = min(w, int(round(x1 * scale))), min(h, int(round(y1 * scale)))
    if fx1 - fx0 < 4 or fy1 - fy0 < 4:
        return
    p = int(np.ceil(3 * scale))
    up = cv2.resize(c.mask, (fx1 - fx0, fy1 - fy0), interpolation=cv2.INTER_NEAREST)
    m = cv2.copyMakeBorder(up, p, p, p, p, cv2.BORDER_CONSTANT, value=0)
    k = max(3, 2 * int(round(scale)) + 1)
    nearer = _nearer_shape(_patch(lab, (fx0, fy0, fx1, fy1), p), m, grow=k, ring=k + 4, shrink=k)
    if nearer is None:
        return
    fine = nearer[p : p + fy1 - fy0, p : p + fx1 - fx0].astype(np.uint8)
    if fine.sum() < MIN_AREA:
        return
    c.fine = fine
