"""Render the labelled dev set: ad-like 720p videos (15-30 s) made with ffmpeg only.

    python -m benchmarks.devset.generate [--out benchmarks/devset/videos] [--jobs 2] [--only dev]
            [--shape text,logo_only,spoken_only,footage_supers,early_brand] [--limit N]

Every brand in `brands.py` gets one `dev` video (its copy in one language) and one `holdout` video
(the other language, other seed: other fonts, colours, motion). Scenes carry product copy with
motion (scrolling, sliding, fading text, moving shapes), optional film noise and small print; the
last scene is an end card with the brand and its web address (shape `text`). shapes.py adds the
harder shapes (logo only, spoken only, footage with small supers, brand only at the start) with
their own brands. Every video has a sound track (a music bed; voice-overs where planned). Labels
of all shapes go to `labels.json` beside this file; videos to a gitignored folder.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.devset.audio import mix_args
from benchmarks.devset.brands import BRANDS, Brand

if TYPE_CHECKING:
    from benchmarks.devset.shapes import ShapeSpec

HERE = Path(__file__).resolve().parent
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_NAMES = (
    "DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSansCondensed-Bold.ttf",
    "DejaVuSans-BoldOblique.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf",
    "LiberationSerif-Bold.ttf", "LiberationSansNarrow-Bold.ttf", "LiberationMono-Bold.ttf",
)
# (background, text) pairs with enough contrast to be read; the generator mixes them freely.
PALETTE = (
    ("0x101820", "white"), ("navy", "white"), ("darkgreen", "white"), ("0x8B0000", "white"),
    ("black", "yellow"), ("0xF2F2F2", "black"), ("white", "0x222222"), ("0x1E3A8A", "0xFDE68A"),
    ("0x4B0082", "white"), ("0xFF6F00", "black"), ("0x004D40", "0xE0F2F1"),
    ("0x333333", "0x00E5FF"),
)
SMALL_PRINT = {
    "en": ("Terms and conditions apply.", "Offer valid while stocks last.",
           "See website for details."),
    "fr": ("Voir conditions en magasin.", "Offre valable dans la limite des stocks.",
           "Détails sur notre site."),
}
W, H, FPS = 1280, 720, 25


@dataclass
class Spec:
    file: str
    split: str
    language: str
    brand: Brand
    seed: int
    scenes: list[dict[str, object]] = field(default_factory=list)
    duration: float = 0.0


def fonts() -> list[str]:
    found = [str(d / n) for n in FONT_NAMES for d in FONT_DIRS if (d / n).exists()]
    if not found:
        sys.exit("no DejaVu/Liberation fonts: apt-get install fonts-dejavu-core fonts-liberation")
    return found


def plan(brand: Brand, index: int, split: str) -> Spec:
    """Decide everything random about one video up front, so labels and video agree."""
    seed = (1 if split == "dev" else 2) * 10_000 + index
    rng = random.Random(seed)
    first = "en" if index % 2 == 0 else "fr"
    lang = first if split == "dev" else ("fr" if first == "en" else "en")
    copy = brand.en if lang == "en" else brand.fr
    slug = "".join(ch for ch in brand.name.lower() if ch.isalnum())
    spec = Spec(f"{split}/{index:02d}-{slug}.mp4", split, lang, brand, seed)
    font_list = fonts()
    for line in copy:
        bg, fg = rng.choice(PALETTE)
        spec.scenes.append({
            "kind": "copy", "seconds": round(rng.uniform(4.0, 7.0), 1), "bg": bg, "fg": fg,
            "text": line, "font": rng.choice(font_list),
            # Keep most lines inside the frame (≈ 0.6 em per character); scrolling may still clip.
            "size": min(rng.randint(54, 84), int(W * 0.92 / (0.6 * max(len(line), 1)))),
            "motion": rng.choice(("static", "scroll", "slide", "fade", "drift")),
            "shapes": rng.randint(0, 3), "noise": rng.random() < 0.4,
            "small": rng.choice(SMALL_PRINT[lang]) if rng.random() < 0.35 else "",
            "logo": brand.name if rng.random() < 0.3 else "",
        })
    bg, fg = rng.choice(PALETTE)
    spec.scenes.append({
        "kind": "end", "seconds": round(rng.uniform(3.5, 6.0), 1), "bg": bg, "fg": fg,
        "text": brand.name, "domain": rng.choice((brand.domain, "www." + brand.domain)),
        "cta": brand.cta_en if lang == "en" else brand.cta_fr,
        "font": rng.choice(font_list), "size": rng.randint(96, 150),
        "motion": rng.choice(("static", "static", "fade", "zoomin")),
        "shapes": rng.randint(0, 1), "noise": rng.random() < 0.25,
    })
    spec.duration = round(sum(float(str(s["seconds"])) for s in spec.scenes), 1)
    return spec


def _esc(path: Path) -> str:
    return str(path).replace("\\", "/").replace(":", "\\:").replace("'", "\\'")


def _text(tmp: Path, name: str, text: str) -> str:
    p = tmp / f"{name}.txt"
    p.write_text(text, encoding="utf-8")
    return f"textfile='{_esc(p)}':expansion=none"


def _shapes(n: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(n):
        size = rng.randint(60, 220)
        speed = rng.randint(60, 260)
        y0 = rng.randint(0, H - size)
        colour = rng.choice(("white@0.25", "black@0.25", "0xFFD54F@0.35", "0x80DEEA@0.35"))
        out.append(
            f"drawbox=x='mod({rng.randint(0, W)}+t*{speed}\\,{W + size})-{size}':y={y0}"
            f":w={size}:h={size}:color={colour}:t=fill"
        )
    return out


def scene_filter(i: int, scene: dict[str, object], tmp: Path, rng: random.Random) -> str:
    sec = float(str(scene["seconds"]))
    font, size, fg = scene["font"], int(str(scene["size"])), scene["fg"]
    motion = scene["motion"]
    parts = _shapes(int(str(scene["shapes"])), rng)
    base = f"fontfile='{font}':fontcolor={fg}"
    text = _text(tmp, f"s{i}", str(scene["text"]))
    if scene["kind"] == "copy":
        x, y, alpha = "(w-text_w)/2", "(h-text_h)/2", "1"
        if motion == "scroll":  # right to left, centred at mid-scene so it is readable a while
            x = f"(w-text_w)/2+({sec / 2:.2f}-t)*90"
        elif motion == "slide":
            y = "(h-text_h)/2+max(0\\,1-t/0.8)*h/2"
        elif motion == "fade":
            alpha = "min(1\\,t/1.0)"
        elif motion == "drift":
            x = "(w-text_w)/2+40*sin(t)"
            y = "(h-text_h)/2+25*cos(t*0.8)"
        parts.append(f"drawtext={base}:{text}:fontsize={size}:x='{x}':y='{y}':alpha='{alpha}'")
        if scene.get("logo"):
            parts.append(f"drawtext={base}:{_text(tmp, f'l{i}', str(scene['logo']))}"
                         f":fontsize=34:x=40:y=36")
        if scene.get("small"):
            parts.append(f"drawtext={base}:{_text(tmp, f'm{i}', str(scene['small']))}"
                         f":fontsize=22:x=(w-text_w)/2:y=h-50")
    else:
        size_expr = str(size)
        if motion == "zoomin":  # drawtext re-evaluates fontsize per frame: a simple zoom
            size_expr = f"'{size}*min(1\\,0.6+t*0.4)'"
        alpha = "min(1\\,t/0.8)" if motion == "fade" else "1"
        parts.append(f"drawtext={base}:{text}:fontsize={size_expr}:x=(w-text_w)/2"
                     f":y=(h-text_h)/2-80:alpha='{alpha}'")
        parts.append(f"drawtext={base}:{_text(tmp, f'd{i}', str(scene['domain']))}"
                     f":fontsize={max(40, size // 2)}:x=(w-text_w)/2:y=(h/2)+70")
        parts.append(f"drawtext={base}:{_text(tmp, f'c{i}', str(scene['cta']))}"
                     f":fontsize=36:x=(w-text_w)/2:y=h-110")
    if scene.get("noise"):
        parts.append("noise=alls=12:allf=t")
    chain = ",".join(parts) if parts else "null"
    return f"[{i}:v]{chain},format=yuv420p[v{i}]"


def render(spec: Spec, out_dir: Path) -> float:
    start = time.monotonic()
    target = out_dir / spec.file
    target.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed * 7 + 1)
    with tempfile.TemporaryDirectory(prefix="adclf-devset-") as tmp_name:
        tmp = Path(tmp_name)
        inputs: list[str] = []
        filters: list[str] = []
        for i, scene in enumerate(spec.scenes):
            inputs += ["-f", "lavfi", "-i",
                       f"color=c={scene['bg']}:s={W}x{H}:r={FPS}:d={scene['seconds']}"]
            filters.append(scene_filter(i, scene, tmp, rng))
        n = len(spec.scenes)
        filters.append("".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[out]")
        # Own seed for the sound, so the pictures stay those of earlier renders.
        a_in, a_filter, a_out = mix_args(spec.duration, [], random.Random(spec.seed * 13 + 5), n)
        cmd = ["ffmpeg", "-y", "-loglevel", "error", *inputs, *a_in,
               "-filter_complex", ";".join([*filters, a_filter]), "-map", "[out]", "-map", a_out,
               "-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "96k", "-shortest", str(target)]
        subprocess.run(cmd, check=True, timeout=600)
    return time.monotonic() - start


def label(spec: Spec) -> dict[str, object]:
    from adclf.pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy()
    return {
        "file": spec.file, "split": spec.split, "language": spec.language,
        "brand": spec.brand.name, "domain": spec.brand.domain,
        "industry_id": spec.brand.industry_id,
        "industry_name": tax.nodes[spec.brand.industry_id].name,
        "leaf_id": spec.brand.leaf_id, "leaf_name": tax.nodes[spec.brand.leaf_id].name,
        "duration": spec.duration, "seed": spec.seed, "shape": "text",
        # On-screen lines that are not the brand: a brand answer equal to one was made up.
        "taglines": sorted({str(s[k]) for s in spec.scenes
                            for k in (("text", "small") if s["kind"] == "copy" else ("cta",))
                            if s.get(k)}),
    }


def shape_label(spec: ShapeSpec) -> dict[str, object]:
    row = label(Spec(spec.file, spec.split, spec.language, spec.brand, spec.seed))
    logo = [s["logo"]["slug"] for s in spec.scenes if s.get("logo")]
    row.update({"duration": spec.duration, "shape": spec.shape, "taglines": spec.taglines,
                "voice": [v.text for v in spec.voices], "logo": logo[0] if logo else ""})
    return row


def main(argv: list[str] | None = None) -> int:
    from benchmarks.devset.render import render_shape
    from benchmarks.devset.shapes import SHAPES, plan_all

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=HERE / "videos")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", choices=("dev", "holdout", "tune"), default=None)
    ap.add_argument("--shape", default="", help="comma-separated shapes to render (default all): "
                    + ", ".join(["text", *SHAPES]))
    ap.add_argument("--limit", type=int, default=0, help="first N brands per shape (smoke runs)")
    ap.add_argument("--force", action="store_true", help="re-render existing files")
    args = ap.parse_args(argv)
    if shutil.which("ffmpeg") is None:
        sys.exit("ffmpeg is not installed (apt-get install ffmpeg)")
    wanted = [x for x in args.shape.split(",") if x] or ["text", *SHAPES]
    unknown = set(wanted) - {"text", *SHAPES}
    if unknown:
        sys.exit(f"unknown shape(s): {sorted(unknown)}")
    specs = [plan(b, i, split) for split in ("dev", "holdout") for i, b in enumerate(BRANDS)]
    shape_specs = plan_all()
    labels = [label(s) for s in specs] + [shape_label(s) for s in shape_specs]
    if not args.limit:
        (HERE / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n")
    jobs: list[tuple[str, str, str, float, Any]] = []
    for s in specs:
        if "text" in wanted and (not args.limit or specs.index(s) % len(BRANDS) < args.limit):
            jobs.append((s.file, s.split, s.language, s.duration, lambda s=s: render(s, args.out)))
    for t in shape_specs:
        index = int(Path(t.file).name.split("-")[0])
        if t.shape in wanted and (not args.limit or index < args.limit):
            jobs.append((t.file, t.split, t.language, t.duration,
                         lambda t=t: render_shape(t, args.out)))
    # the tune split (shapes.TUNE_SHAPES) only when asked for by name
    todo = [j for j in jobs if (args.only == j[1] or (args.only is None and j[1] != "tune"))
            and (args.force or not (args.out / j[0]).exists())]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for job, secs in zip(todo, pool.map(lambda j: j[4](), todo), strict=True):
            print(f"{secs:5.1f}s  {job[0]}  ({job[3]:.1f}s video, {job[2]})", flush=True)
    print(f"rendered {len(todo)} videos in {time.monotonic() - t0:.0f}s into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
