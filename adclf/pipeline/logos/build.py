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

import numpy as np

from adclf.pipeline.logos import bits
from adclf.pipeline.logos.files import ARRAYS, DEFAULT_OUT, DEFAULT_SOURCE, META
from adclf.pipeline.logos.render import generic_shapes, svg_mask
from adclf.pipeline.logos.shapes import descriptor, normalise

BUILD_VERSION = 4  # bump when shapes.py/render.py change what a gallery entry is


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


def _entry(svg: str) -> np.ndarray | None:
    m = svg_mask(Path(svg))
    return None if m is None else (normalise(m) * 255).astype(np.uint8)


def build(source: Path = DEFAULT_SOURCE, out: Path = DEFAULT_OUT, workers: int = 2) -> dict:
    t0 = time.perf_counter()
    icons = json.loads((source / "data" / "simple-icons.json").read_text())
    svgs = [str(source / "icons" / f"{icon['slug']}.svg") for icon in icons]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        canvases = list(pool.map(_entry, svgs, chunksize=64))
    entries: list[dict] = []
    kept: list[np.ndarray] = []
    for icon, canvas in zip(icons, canvases, strict=True):
        if canvas is None:
            continue
        entries.append(
            {"brand": icon["title"], "key": icon["slug"], "kind": "brand", "hex": icon.get("hex")}
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
