"""Builds the shipped logo gallery from the Simple Icons npm package (run by scripts/setup.sh).

    python -m adclf.pipeline.logos.build [--force] [--source DIR] [--out DIR]

Rasterises every icon once, normalises its silhouette (shapes.py) and stores silhouettes,
retrieval descriptors and metadata in one .npz + one JSON. Does nothing when the gallery on disk
was built from the same Simple Icons version by the same BUILD_VERSION."""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np

from adclf.pipeline.logos import bits
from adclf.pipeline.logos.files import ARRAYS, DEFAULT_OUT, DEFAULT_SOURCE, META
from adclf.pipeline.logos.render import generic_shapes, svg_mask
from adclf.pipeline.logos.shapes import descriptor, normalise

BUILD_VERSION = 6  # bump when shapes.py/render.py change what a gallery entry is


def source_version(source: Path) -> str:
    return str(json.loads((source / "package.json").read_text())["version"])


def is_current(out: Path, source: Path) -> bool:
    try:
        meta = json.loads((out / META).read_text())
    except (OSError, ValueError):
        return False
    return (
        (out / ARRAYS).exists()
        and meta.get("build_version") == BUILD_VERSION
        and meta.get("source_version") == source_version(source)
    )


# A detached mark is a part this small (share of the icon's ink, longer side as a share of the
# icon's longer side): a registered or trademark sign, a dot beside a wordmark.
MARK_INK, MARK_SIDE = 0.02, 0.12
MARK_SHRINK = 0.03  # the icon's box shrinks at least this much (one side) without its marks


def _entry(svg: str) -> list[np.ndarray] | None:
    """The icon's canvas, and a twin without its detached marks when they widen its box."""
    m = svg_mask(Path(svg))
    if m is None:
        return None
    out = [(normalise(m) * 255).astype(np.uint8)]
    bare = without_marks(m)
    if bare is not None:
        out.append((normalise(bare) * 255).astype(np.uint8))
    return out


def without_marks(mask: np.ndarray) -> np.ndarray | None:
    """The silhouette without its detached marks, cropped, when dropping them shrinks its box by
    MARK_SHRINK or more; else None. A frame seldom shows a logo's (R) sign: too small to survive
    the video's scale and compression, or apart from the logo in the frame's segmentation. With
    it, the icon's box is wider than the logo as seen, and the two no longer fit (Geocaching at
    89 px: 0.80 with its mark, under the matcher's bar)."""
    m = (mask > 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    if n < 3:
        return None
    ink = stats[1:, cv2.CC_STAT_AREA].sum()
    h, w = m.shape
    side = max(h, w)
    marks = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] < MARK_INK * ink
             and max(stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]) < MARK_SIDE * side]
    if not marks:
        return None
    bare = m.copy()
    bare[np.isin(labels, marks)] = 0
    ys, xs = np.nonzero(bare)
    if len(xs) == 0:
        return None
    shrink = max(1 - (xs.max() - xs.min() + 1) / w, 1 - (ys.max() - ys.min() + 1) / h)
    if shrink < MARK_SHRINK:
        return None
    return bare[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def build(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT, workers: int = 2) -> dict:
    t0 = time.perf_counter()
    icons = json.loads((source / "data" / "simple-icons.json").read_text())
    svgs = [str(source / "icons" / f"{icon['slug']}.svg") for icon in icons]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        canvases = list(pool.map(_entry, svgs, chunksize=64))
    entries: list[dict] = []
    kept: list[np.ndarray] = []
    for icon, drawn in zip(icons, canvases, strict=True):
        for canvas in drawn or []:
            entries.append(
                {"brand": icon["title"], "key": icon["slug"], "kind": "brand",
                 "hex": icon.get("hex")}
            )
            kept.append(canvas)
    # Letters and plain shapes live in the same arrays: a candidate closer to one of them than
    # to any brand is text or a plain shape, not a logo.
    for name, mask in generic_shapes():
        entries.append({"brand": name, "key": name, "kind": "generic"})
        kept.append((normalise(mask) * 255).astype(np.uint8))
    stack = np.stack(kept)
    desc = np.stack([descriptor(c.astype(np.float32) / 255.0) for c in stack])
    out.mkdir(parents=True, exist_ok=True)
    # silhouettes bit-packed (bits.py): 512 bytes an entry, so loading is a 2 MB read
    np.savez(out / ARRAYS, packed=bits.pack(stack >= 128), descriptors=desc)
    meta = {
        "build_version": BUILD_VERSION,
        "source": "simple-icons",
        "source_version": source_version(source),
        "license": "CC0-1.0 (Simple Icons); the trademarks belong to their owners",
        "entries": entries,
    }
    (out / META).write_text(json.dumps(meta))
    return {
        "brands": sum(e["kind"] == "brand" for e in entries),
        "generic": sum(e["kind"] == "generic" for e in entries),
        "without_marks": sum(len(c) - 1 for c in canvases if c),
        "skipped": len(icons) - len([c for c in canvases if c is not None]),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    if not (args.source / "package.json").exists():
        raise SystemExit(
            f"logo source missing: {args.source} (run npm ci in third_party/simple-icons)"
        )
    if not args.force and is_current(args.out, args.source):
        print("logo gallery: up to date")
        return
    print(f"logo gallery: built {build(args.source, args.out)}")


if __name__ == "__main__":
    main()
