"""Synthetic evaluation of the logo matcher (not a pytest module: run it by hand).

    .venv/bin/python tests/pipeline/logos/eval_logos.py [--seed 2026] [--brands 150] [--neg 120]

Positives: a random subset of Simple Icons brands, each on one 720p JPEG frame with a random
scale (6-50 % of the width), colour scheme, backdrop and, for three in eight, a bar hiding 20-25 %
of it or a sticker over a corner (of another colour, or of the logo's own).
Negatives: text-only cards (words and single letters, in fonts inside and outside the matcher's
generic-letter set), real photos, busy textures, gradients, text over photos; then (--coloured)
plain shapes and words drawn in some brand's own colour, or white on it: the matcher takes the
brand colour as a witness (colour.py), and these are what it must still refuse.
Prints precision, recall (overall and per condition) and seconds per frame."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

from adclf.pipeline.logos import GalleryMatcher, LogoGallery  # noqa: E402
from adclf.pipeline.logos.colour import hex_lab  # noqa: E402
from adclf.pipeline.logos.files import DEFAULT_SOURCE  # noqa: E402
from adclf.pipeline.types import Frame  # noqa: E402

WORDS = [
    "Just do it",
    "SHOP NOW",
    "M",
    "O",
    "A",
    "X",
    "Buy now",
    "SALE 50%",
    "Order today",
    "I'm lovin' it",
    "Think different",
    "NEW",
    "Open",
    "OK",
    "W",
    "Free delivery",
    "V",
    "Z",
]
FONTS = [
    "DejaVuSans-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSerif-Regular.ttf",
    "DejaVuSansCondensed-Bold.ttf",
    "LiberationSansNarrow-Bold.ttf",
    "LiberationMono-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSansMono.ttf",
]
SCHEMES = ["brand-on-white", "white-on-brand", "black-on-white", "brand-on-dark"]
BACKDROPS = ["plain", "photo", "texture"]


def positive(icon: dict, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    brand = synth.hex_rgb(icon.get("hex") or "333333")
    if sum(brand) > 690 or sum(brand) < 60:  # white or black brand colour: use a visible one
        brand = (200, 30, 40)
    scheme = SCHEMES[int(rng.integers(len(SCHEMES)))]
    backdrop = BACKDROPS[int(rng.integers(len(BACKDROPS)))]
    fg, plain_bg = {
        "brand-on-white": (brand, synth.WHITE),
        "white-on-brand": (synth.WHITE, brand),
        "black-on-white": (synth.BLACK, synth.WHITE),
        "brand-on-dark": (brand, synth.DARK),
    }[scheme]
    if backdrop == "photo":
        bg = synth.photo(rng)
    elif backdrop == "texture":
        bg = synth.texture(rng)
    else:
        bg = synth.plain(plain_bg)
    rel = float(np.exp(rng.uniform(np.log(0.06), np.log(0.5))))
    covered = ["", "bar", "corner other", "corner same"][int(rng.integers(4))] \
        if rng.random() < 1 / 2 else ""
    occ = float(rng.uniform(0.2, 0.25)) if covered == "bar" else 0.0
    img, box = synth.logo_frame(
        DEFAULT_SOURCE / "icons" / f"{icon['slug']}.svg",
        rel,
        fg,
        bg,
        rng,
        occ,
        int(rng.integers(60, 92)),
        covered.split(" ")[1] if covered.startswith("corner") else "",
    )
    scale = "small" if rel < 0.12 else "medium" if rel < 0.25 else "large"
    return img, {
        "title": icon["title"],
        "slug": icon["slug"],
        "scheme": scheme,
        "backdrop": backdrop,
        "scale": scale,
        "covered": covered or "no",
        "box": box,
    }


def negative(i: int, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    kind = ["text", "text", "text", "photo", "texture", "gradient", "text-on-photo"][i % 7]
    if kind.startswith("text"):
        word = WORDS[int(rng.integers(len(WORDS)))]
        font = FONTS[int(rng.integers(len(FONTS)))]
        px = int(rng.integers(60, 330)) if len(word) <= 2 else int(rng.integers(50, 150))
        if kind == "text":
            fg, bgc = [
                (synth.WHITE, (200, 16, 46)),
                (synth.BLACK, synth.WHITE),
                ((255, 199, 44), synth.DARK),
            ][int(rng.integers(3))]
            bg = synth.plain(bgc)
        else:
            fg, bg = synth.WHITE, synth.photo(rng)
        return synth.text_frame(word, font, px, fg, bg), {"kind": kind, "text": word, "font": font}
    bg = {"photo": synth.photo, "texture": synth.texture, "gradient": synth.gradient}[kind](rng)
    return synth.jpeg(bg, int(rng.integers(60, 92))), {"kind": kind}


SHAPES = ["disc", "ring", "square", "rounded", "triangle", "hexagon", "star", "chevron", "pill"]


def coloured(i: int, rng: np.random.Generator, hexes: list[str]) -> tuple[np.ndarray, dict]:
    """A plain shape or a word in a (random) brand's colour, or white on it."""
    c = synth.hex_rgb(hexes[int(rng.integers(len(hexes)))])
    scheme = ["colour-on-white", "white-on-colour", "colour-on-dark", "colour-on-photo"][i % 4]
    fg, bg = {
        "colour-on-white": (c, synth.plain(synth.WHITE)),
        "white-on-colour": (synth.WHITE, synth.plain(c)),
        "colour-on-dark": (c, synth.plain(synth.DARK)),
        "colour-on-photo": (c, synth.photo(rng)),
    }[scheme]
    if i % 3 == 2:
        word = WORDS[int(rng.integers(len(WORDS)))]
        font = FONTS[int(rng.integers(len(FONTS)))]
        px = int(rng.integers(60, 330)) if len(word) <= 2 else int(rng.integers(50, 150))
        return synth.text_frame(word, font, px, fg, bg), {"kind": "coloured-text", "text": word,
                                                          "scheme": scheme}
    shape = SHAPES[int(rng.integers(len(SHAPES)))]
    side = int(synth.W * float(rng.uniform(0.06, 0.35)))
    return synth.shape_frame(shape, side, fg, bg, rng), {"kind": "coloured-shape",
                                                          "shape": shape, "scheme": scheme}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--brands", type=int, default=150)
    ap.add_argument("--neg", type=int, default=126)
    ap.add_argument("--coloured", type=int, default=90)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--no-closer", action="store_true",
                    help="match as a frame before the end card (no closer look at near misses)")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    icons = json.loads((DEFAULT_SOURCE / "data" / "simple-icons.json").read_text())
    chosen = [icons[i] for i in rng.choice(len(icons), args.brands, replace=False)]
    t = time.perf_counter()
    matcher = GalleryMatcher(LogoGallery()).warm()
    load_s = time.perf_counter() - t
    rows, times = [], []
    for i, icon in enumerate(chosen):
        img, info = positive(icon, rng)
        t = time.perf_counter()
        dets = matcher.detect([Frame(0.0, img, i)], closer=not args.no_closer)
        times.append(time.perf_counter() - t)
        rows.append({**info, "pos": True, "found": [(d.key, d.score) for d in dets]})
    for i in range(args.neg):
        img, info = negative(i, rng)
        t = time.perf_counter()
        dets = matcher.detect([Frame(0.0, img, i)], closer=not args.no_closer)
        times.append(time.perf_counter() - t)
        rows.append({**info, "pos": False, "found": [(d.key, d.score) for d in dets]})
    # a generator of their own: the positives and negatives above stay those of earlier runs
    crng = np.random.default_rng(args.seed + 1)
    hexes = [h for h in (icon.get("hex") or "" for icon in icons)
             if len(h) == 6 and hex_lab(h) is not None]
    for i in range(args.coloured):
        img, info = coloured(i, crng, hexes)
        t = time.perf_counter()
        dets = matcher.detect([Frame(0.0, img, i)], closer=not args.no_closer)
        times.append(time.perf_counter() - t)
        rows.append({**info, "pos": False, "found": [(d.key, d.score) for d in dets]})
    pos = [r for r in rows if r["pos"]]
    neg = [r for r in rows if not r["pos"]]
    tp = sum(any(k == r["slug"] for k, _ in r["found"]) for r in pos)
    wrong = sum(1 for r in pos for k, _ in r["found"] if k != r["slug"])
    fp_neg = sum(len(r["found"]) for r in neg)
    fired = tp + wrong + fp_neg
    print(
        f"gallery load {load_s:.2f}s; frames {len(rows)}; "
        f"positives {len(pos)}; negatives {len(neg)}"
    )
    print(
        f"recall {tp / len(pos):.3f} ({tp}/{len(pos)}); precision {tp / max(fired, 1):.3f} "
        f"(wrong brand on positives {wrong}, detections on negatives {fp_neg}, "
        f"negative frames with any detection {sum(bool(r['found']) for r in neg)})"
    )
    for field in ("scheme", "backdrop", "scale", "covered"):
        by: dict[str, list[bool]] = defaultdict(list)
        for r in pos:
            by[str(r[field])].append(any(k == r["slug"] for k, _ in r["found"]))
        print(
            f"  recall by {field}: "
            + ", ".join(f"{k} {sum(v) / len(v):.2f} (n={len(v)})" for k, v in sorted(by.items()))
        )
    ts = np.array(times)
    print(
        f"seconds per 720p frame: mean {ts.mean():.3f}, p50 {np.median(ts):.3f}, "
        f"p95 {np.percentile(ts, 95):.3f}, max {ts.max():.3f}"
    )
    col = [r for r in neg if str(r["kind"]).startswith("coloured")]
    print(f"  of which coloured shapes and words: {len(col)} frames, "
          f"{sum(len(r['found']) for r in col)} detections")
    for r in neg:
        if r["found"]:
            print("  FALSE:", r)
    if args.dump:
        args.dump.write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
