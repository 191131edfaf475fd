"""GalleryMatcher: finds gallery logos in frames by their silhouette.

Per frame: candidate silhouettes (segment.py; a small one also redrawn from the full-size frame)
-> each also under "partly covered" hypotheses (the shape continues, hidden, on one side, or under
a sticker) -> retrieval by one matrix product against every gallery descriptor -> the best few
re-scored by pixel IoU on the 64 x 64 silhouettes with a small shift search (hidden strips
excluded). Letters and plain shapes are in
the gallery too: a candidate must fit its brand clearly better than any of them, which is what
keeps text-only cards ("M", "SHOP NOW") from inventing brands."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from adclf.pipeline.logos import bits, colour
from adclf.pipeline.logos.cover import covers, flat_regions, hidden_rect
from adclf.pipeline.logos.gallery import LogoGallery
from adclf.pipeline.logos.segment import (
    Candidate,
    box_iou,
    candidates,
    grown,
    sharpen,
    work_image,
    work_lab,
)
from adclf.pipeline.logos.shapes import descriptor, hidden_strip, normalise
from adclf.pipeline.types import Frame, LogoDetection

TOP_BRANDS = 4  # re-scored gallery entries per hypothesis
TOP_GENERIC = 3
RETRIEVE_MIN = 0.62  # descriptor cosine a hypothesis needs before any pixel re-scoring
HIDDEN_VERIFIED = 2  # covered-logo hypotheses per candidate re-scored by pixels
HIDDEN_PENALTY = 0.04  # a covered-logo hypothesis is a weaker claim than a whole one
# score = logistic(min((fit - FIT_MID) / FIT_SCALE, (margin - MARGIN_MID) / MARGIN_SCALE))
FIT_MID, FIT_SCALE = 0.85, 0.03
MARGIN_MID, MARGIN_SCALE = 0.08, 0.03
# A near-perfect fit needs less distinctness: a flame, a speech mark in a disc or two crossed
# discs fit their icon at 0.97-0.99 and their own hull or a plain shape at 0.91-0.95, a margin
# the flat MARGIN_MID refused. The bar falls by up to MARGIN_RELIEF as the fit goes from
# RELIEF_FROM to RELIEF_FULL; a plain shape still wins whenever it fits as well as the icon.
MARGIN_RELIEF, RELIEF_FROM, RELIEF_FULL = 0.05, 0.90, 0.98
# The brand's own colour on the mark or right around it (colour.py): the margin bar falls by
# COLOUR_RELIEF, and among near-equal fits the brand in that colour ranks first.
# eval_logos: recall 98 -> 101 of 150 (seed 2026) and 104 -> 108 (seed 7), no detection on 90
# plain shapes and words in brand colours; 0.06 named one more wrong brand for one more found.
COLOUR_RELIEF, COLOUR_RANK = 0.04, 0.02
# however much relief: the icon must still fit better than any plain shape or its own hull
MARGIN_FLOOR = 0.01
THRESHOLD = 0.5
# A candidate whose best brand fits at least NEAR_FIT but under FIT_MID is grown (segment.grown,
# up to GROW_STEPS) and matched again: a thin stroke cut short by the edge map fits its icon
# poorly. A near miss by margin alone (a "%" fitting Listmonk at 0.95, a "B" Bitdefender at
# 0.94, generic fits 0.92 and 0.90) is no cut stroke: grown a pixel, it passed (eval_logos).
# At most GROWN_MAX per frame, those fitting their brand best against the letters and shapes first.
NEAR_FIT, GROW_STEPS, GROWN_MAX = 0.55, 3, 4
# A small mark loses at work size the detail that sets it apart (Starbucks' siren at a tenth of a
# 720p frame's width: its outline cut a row short, best fit 0.55 to another icon). On request (the
# end card: ~0.15 s a frame), when the frame is larger than the work image, up to CLOSER_MAX
# regions under CLOSER_BELOW work pixels holding a near miss whose best brand fits at least
# CLOSER_FIT are looked at again: the full-size frame cropped with CLOSER_PAD of their size on
# each side, segmented and matched anew. A mark found there counts where the near miss was (it
# holds the region's centre), and only at CLOSER_SCORE: looked at twice, text and textures get a
# second chance too ("SALE 50%" named Listmonk at 0.62 at the plain threshold, eval_logos).
CLOSER_FIT, CLOSER_BELOW, CLOSER_MAX, CLOSER_PAD = 0.5, 100, 2, 0.3
CLOSER_SCORE = 0.75


@dataclass
class Match:
    entry: int
    fit: float
    generic_fit: float
    score: float
    box: tuple[int, int, int, int]


class GalleryMatcher:
    """LogoMatcher over a LogoGallery. detect() merges frames: one detection per brand, the
    best-scoring one, carrying that frame's timestamp and box; sorted by score, best first."""

    def __init__(self, gallery: LogoGallery, threshold: float = THRESHOLD) -> None:
        self.gallery = gallery
        self.threshold = threshold

    def warm(self) -> GalleryMatcher:
        self.gallery.warm()
        return self

    def detect(self, frames: list[Frame], closer: bool = False) -> list[LogoDetection]:
        return best_per_brand(det for frame in frames for det in self.detect_frame(frame, closer))

    def detect_frame(self, frame: Frame, closer: bool = False) -> list[LogoDetection]:
        """Detections in one frame (non-overlapping, at most one per brand). `closer`: small
        near misses are also looked at again in the full-size frame (_closer)."""
        g = self.gallery.warm()
        work, scale = work_image(frame.image)
        cands = candidates(work)
        full = None
        if scale > 1.2:
            full = cv2.cvtColor(cv2.GaussianBlur(frame.image, (3, 3), 0), cv2.COLOR_RGB2LAB)
        seen_lab = colour.to_lab(work)  # once a frame: both rounds of matching judge colour on it
        found = self._matched(seen_lab, cands, full, scale)
        found += self._regrown(work, seen_lab, cands, found, full, scale)
        if closer and scale > 1.2:
            found += self._closer(frame.image, scale, cands, found)
        matches = [m for m in found if m.score >= self.threshold]
        matches.sort(key=lambda m: -m.score)
        kept: list[Match] = []
        for m in matches:
            same = any(g.entries[k.entry].brand == g.entries[m.entry].brand for k in kept)
            if not same and all(box_iou(m.box, k.box) < 0.3 for k in kept):
                kept.append(m)
        h, w = frame.image.shape[:2]
        out = []
        for m in kept:
            e = g.entries[m.entry]
            x0, y0, x1, y1 = m.box
            box = [
                max(0.0, x0 * scale),
                max(0.0, y0 * scale),
                min(w, x1 * scale),
                min(h, y1 * scale),
            ]
            out.append(
                LogoDetection(
                    brand=e.brand,
                    score=round(m.score, 4),
                    timestamp=frame.timestamp,
                    box=[round(v, 1) for v in box],
                    source=e.source,
                    key=e.key,
                )
            )
        return out

    def _matched(self, seen_lab: np.ndarray, cands: list[Candidate], full: np.ndarray | None,
                 scale: float) -> list[Match]:
        """match() for candidates of the work image (`seen_lab`: it in colour.to_lab), the small
        ones redrawn from `full` first."""
        if not cands:
            return []
        seen = colour.seen_colours(seen_lab, cands)
        if full is not None:
            for c in cands:
                sharpen(full, c, scale)
        return self.match(cands, seen)

    def _regrown(self, work: np.ndarray, seen_lab: np.ndarray, cands: list[Candidate],
                 found: list[Match], full: np.ndarray | None, scale: float) -> list[Match]:
        """The near misses among `found` grown (segment.grown) and matched again, by margin over
        the generic fit. A grown candidate counts only for the brand it nearly was: growing
        completes a cut stroke, and a shape grown into another brand's is a new candidate that
        nothing vouched for."""
        near = sorted((m for m in found if m.score < THRESHOLD and NEAR_FIT <= m.fit < FIT_MID),
                      key=lambda m: (m.generic_fit - m.fit, m.box))[:GROWN_MAX]
        if not near:
            return []
        by_box = {c.box: c for c in cands}
        lab = work_lab(work)
        grew: list[tuple[Candidate, int]] = []
        for m in near:
            g = grown(lab, by_box[m.box], GROW_STEPS)
            # two near misses grown into one box are one candidate: the first (best margin)
            # says which brand it may be, as matches are told apart by box below
            if g is not None and all(g.box != h.box for h, _ in grew):
                grew.append((g, m.entry))
        entries = self.gallery.entries
        again = self._matched(seen_lab, [g for g, _ in grew], full, scale)
        wanted = {g.box: entries[entry].brand for g, entry in grew}
        return [m for m in again if entries[m.entry].brand == wanted[m.box]]

    def _closer(self, image: np.ndarray, scale: float, cands: list[Candidate],
                found: list[Match]) -> list[Match]:
        """Small near misses among `found` matched again in full-size crops of `image` (the
        frame, `scale` frame pixels per work pixel); boxes in work pixels. A near miss is often a
        piece of the mark (a siren's crown): the crop is of the largest small candidate holding
        it, the whole mark when segmentation grouped it."""
        hits = [m.box for m in found if m.score >= self.threshold]
        small = [c.box for c in cands if _side(c.box) < CLOSER_BELOW]
        picked: list[tuple[int, int, int, int]] = []
        for m in sorted(found, key=lambda m: (-m.fit, m.box)):
            if m.score >= self.threshold or m.fit < CLOSER_FIT:
                continue
            # itself too: a grown near miss (_regrown) is no candidate of `cands`
            holders = [b for b in small if _holds(b, m.box)]
            holders += [m.box] if _side(m.box) < CLOSER_BELOW else []
            if not holders:
                continue
            region = max(holders, key=lambda b: ((b[2] - b[0]) * (b[3] - b[1]), b))
            if any(box_iou(region, b) >= 0.3 for b in hits + picked):
                continue
            picked.append(region)
            if len(picked) == CLOSER_MAX:
                break
        h, w = image.shape[:2]
        out: list[Match] = []
        for x0, y0, x1, y1 in picked:
            px, py = CLOSER_PAD * (x1 - x0), CLOSER_PAD * (y1 - y0)
            fx0, fy0 = max(0, int((x0 - px) * scale)), max(0, int((y0 - py) * scale))
            fx1 = min(w, math.ceil((x1 + px) * scale))
            fy1 = min(h, math.ceil((y1 + py) * scale))
            crop = np.ascontiguousarray(image[fy0:fy1, fx0:fx1])
            # only what holds the near miss's centre can count for it: the rest is not matched
            cx, cy = (x0 + x1) / 2 * scale - fx0, (y0 + y1) / 2 * scale - fy0
            cands = [c for c in candidates(crop)
                     if c.box[0] <= cx <= c.box[2] and c.box[1] <= cy <= c.box[3]]
            for a in self._matched(colour.to_lab(crop), cands, None, 1.0):
                if a.score >= CLOSER_SCORE:
                    bx0, by0, bx1, by1 = a.box
                    out.append(Match(a.entry, a.fit, a.generic_fit, a.score, (
                        round((bx0 + fx0) / scale), round((by0 + fy0) / scale),
                        round((bx1 + fx0) / scale), round((by1 + fy0) / scale))))
        return out

    def match(self, cands: list[Candidate], seen: np.ndarray | None = None) -> list[Match]:
        """The best brand match of every candidate (scored, not thresholded). `seen`: each
        candidate's own and backdrop colour (colour.seen_colours), when known."""
        g = self.gallery
        if not cands:
            return []
        canv: list[np.ndarray] = []
        desc: list[np.ndarray] = []
        care: list[np.ndarray] = []
        owner: list[int] = []
        kinds: list[int] = []  # 0: as seen, 1: hidden beyond a side, 2: under a sticker,
        # 3: a sticker row's own-box twin (fitted to letters and shapes only)
        flat = flat_regions(cands)
        for ci, c in enumerate(cands):
            # the work-size silhouette, and the full-size redraw of a small one (segment.sharpen)
            for mask in [c.mask] + ([] if c.fine is None else [c.fine]):
                h, w = mask.shape
                sx, sy = w / c.mask.shape[1], h / c.mask.shape[0]
                for hi, box in enumerate(_hypotheses(w, h)):
                    keep = np.ones((64, 64), bool) if hi == 0 else ~hidden_strip((h, w), box)
                    self._add(mask, box, keep, canv, desc, care)
                    owner.append(ci)
                    kinds.append(0 if hi == 0 else 1)
                for cov in covers(c, flat):
                    cb, ch = _scaled(cov.box, sx, sy), _scaled(cov.hidden, sx, sy)
                    keep = ~(hidden_strip((h, w), cb) | hidden_rect((h, w), cb, ch))
                    self._add(mask, cb, keep, canv, desc, care)
                    owner.append(ci)
                    kinds.append(2)
                    # the same visible pixels in the candidate's own box, for the letters and
                    # shapes only: a sticker reaching past an "M" grows the box the brands are
                    # fitted in, which no letter fits any more
                    own = (0.0, 0.0, float(w), float(h))
                    self._add(mask, own, ~hidden_rect((h, w), own, ch), canv, desc, care)
                    owner.append(ci)
                    kinds.append(3)
        sims = np.stack(desc) @ g.descriptors.T
        brand_cols = np.nonzero(g.is_brand)[0]
        generic_cols = np.nonzero(~g.is_brand)[0]
        top = sims[:, brand_cols].max(1)
        # per candidate: the candidate as seen, plus its HIDDEN_VERIFIED best-retrieved
        # covered-logo hypotheses of each kind, if retrieval found anything
        rows: list[int] = []
        by_owner: dict[tuple[int, int], list[int]] = {}
        for row, (ci, kind) in enumerate(zip(owner, kinds, strict=True)):
            if kind != 3 and top[row] >= RETRIEVE_MIN:
                by_owner.setdefault((ci, kind), []).append(row)
        for (_, kind), found in sorted(by_owner.items()):
            found.sort(key=lambda row: -top[row])
            rows += found if kind == 0 else found[:HIDDEN_VERIFIED]
        if not rows:
            return []
        # A covered-logo hypothesis competes with what the candidate looks like as seen too: a
        # lowercase "w" of a caption is Wellfound's "w:" with the colon hidden, and the letters,
        # fitted to the grown box, cannot say so. So the candidate as seen is fitted to the
        # letters and shapes as well (scored for that alone, never named).
        named = len(rows)
        have, owners = set(rows), {owner[row] for row in rows}
        rows += [row for row, (ci, kind) in enumerate(zip(owner, kinds, strict=True))
                 if kind == 0 and row not in have and ci in owners]
        rows += [row + 1 for row in rows[:named] if kinds[row] == 2]  # its own-box twin
        at = {row: k for k, row in enumerate(rows)}
        r = np.array(rows)
        # a stable sort, not argpartition: the order argpartition leaves ties in is its
        # selection algorithm's (with CPU-specific SIMD paths in numpy); sorted, two equal
        # entries (one logo under two names) resolve by gallery order on every machine
        bsims = sims[r][:, brand_cols]
        top_b = brand_cols[np.argsort(-bsims, axis=1, kind="stable")[:, :TOP_BRANDS]]
        gsims = sims[r][:, generic_cols]
        top_g = generic_cols[np.argsort(-gsims, axis=1, kind="stable")[:, :TOP_GENERIC]]
        cq = bits.pack(np.stack([canv[i] for i in rows]))[:, None]
        cr = bits.pack(np.stack([care[i] for i in rows]))[:, None]
        fb = bits.fit(cq, g.packed[top_b], g.packed_dilated[top_b], cr)
        fg = bits.fit(cq, g.packed[top_g], g.packed_dilated[top_g], cr).max(1)
        # the candidate's own convex hull competes too: a blob matching a blob-like icon says
        # nothing about a brand
        hulls = bits.pack(np.stack([_hull(canv[i]) for i in rows]))[:, None]
        fh = bits.fit(cq, hulls, bits.dilate(hulls), cr)[:, 0]
        if seen is None:
            agree = np.zeros(fb.shape, bool)
        else:
            agree = colour.agreement(seen[[owner[row] for row in rows]], g.colours[top_b])
        bi = (fb + COLOUR_RANK * agree).argmax(1)
        as_seen: dict[int, float] = {}
        for k, row in enumerate(rows):
            if kinds[row] == 0:
                as_seen[owner[row]] = max(as_seen.get(owner[row], 0.0), float(fg[k]))
        best: dict[int, Match] = {}
        for k, row in enumerate(rows[:named]):
            hidden = kinds[row] != 0
            fit = float(fb[k, bi[k]]) - (HIDDEN_PENALTY if hidden else 0.0)
            gfit = max(float(fg[k]), float(fh[k]), as_seen[owner[row]] if hidden else 0.0,
                       float(fg[at[row + 1]]) if kinds[row] == 2 else 0.0)
            score = _score(fit, fit - gfit, bool(agree[k, bi[k]]))
            ci = owner[row]
            if ci not in best or score > best[ci].score:
                best[ci] = Match(int(top_b[k, bi[k]]), fit, gfit, score, cands[ci].box)
        return list(best.values())

    @staticmethod
    def _add(mask: np.ndarray, box: tuple[float, float, float, float], keep: np.ndarray,
             canv: list[np.ndarray], desc: list[np.ndarray], care: list[np.ndarray]) -> None:
        cv = normalise(mask, box)
        canv.append(cv >= 0.5)
        desc.append(descriptor(cv, None if keep.all() else keep))
        care.append(keep)


def best_per_brand(detections: Iterable[LogoDetection]) -> list[LogoDetection]:
    """Detections from several frames merged: the best-scoring one per brand (on a tie, the
    first), best first."""
    best: dict[str, LogoDetection] = {}
    for det in detections:
        if det.brand not in best or det.score > best[det.brand].score:
            best[det.brand] = det
    return sorted(best.values(), key=lambda d: -d.score)


# The candidate as seen, then as a logo hidden for a fifth, a third or a half more on one side
# (x0, y0, x1, y1 extensions in units of the candidate's width/height).
HYPOTHESES = [(0.0, 0.0, 0.0, 0.0)] + [
    side
    for e in (0.2, 1 / 3, 0.5)
    for side in ((-e, 0, 0, 0), (0, 0, e, 0), (0, -e, 0, 0), (0, 0, 0, e))
]


def _hypotheses(w: int, h: int) -> list[tuple[float, float, float, float]]:
    return [(a * w, b * h, w + c * w, h + d * h) for a, b, c, d in HYPOTHESES]


def _scaled(box: tuple[float, float, float, float], sx: float,
            sy: float) -> tuple[float, float, float, float]:
    return (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)


def _score(fit: float, margin: float, in_colour: bool = False) -> float:
    z = (fit - FIT_MID) / FIT_SCALE
    relief = MARGIN_RELIEF * min(1.0, max(0.0, (fit - RELIEF_FROM) / (RELIEF_FULL - RELIEF_FROM)))
    relief += COLOUR_RELIEF if in_colour else 0.0
    bar = max(MARGIN_FLOOR, MARGIN_MID - relief)
    z = min(z, (margin - bar) / MARGIN_SCALE)  # both: fit AND distinctness
    return 1.0 / (1.0 + math.exp(-z))


def _side(box: tuple[int, int, int, int]) -> int:
    return max(box[2] - box[0], box[3] - box[1])


def _holds(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return (outer[0] - 1 <= inner[0] and outer[1] - 1 <= inner[1]
            and inner[2] <= outer[2] + 1 and inner[3] <= outer[3] + 1)


def _hull(c: np.ndarray) -> np.ndarray:
    pts = cv2.findNonZero(c.astype(np.uint8))
    out = np.zeros(c.shape, np.uint8)
    if pts is not None:
        cv2.fillConvexPoly(out, cv2.convexHull(pts), 1)
    return out.astype(bool)
