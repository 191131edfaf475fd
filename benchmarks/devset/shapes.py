"""The harder ad shapes: where the brand is, and what else is on screen, as real ads do it.

- `logo_only`: product copy, then an end card with the brand's logo, a tagline and a call to
  action; the name is never written.
- `spoken_only`: product copy and a tagline card; the name is only said by the voice-over.
- `footage_supers`: photographs (pan and zoom) under small supers; name and web address in a small
  super on the last scene only.
- `early_brand`: the name (sometimes the logo) in the first 2-4 s only; ends on copy or footage.

`plan()` decides everything random up front (so labels and videos agree); render.py draws it.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from benchmarks.devset import footage, logos
from benchmarks.devset.audio import Voice, pick_voice
from benchmarks.devset.brands import ShapeBrand
from benchmarks.devset.brands_footage_early import EARLY_BRAND, FOOTAGE_SUPERS, THEMES
from benchmarks.devset.brands_logo_voice import LOGO_ONLY, SPOKEN_ONLY
from benchmarks.devset.generate import PALETTE, SMALL_PRINT, H, W, fonts

SHAPES: dict[str, tuple[ShapeBrand, ...]] = {
    "logo_only": LOGO_ONLY, "spoken_only": SPOKEN_ONLY,
    "footage_supers": FOOTAGE_SUPERS, "early_brand": EARLY_BRAND,
}
SEED_BASE = {"logo_only": 100, "spoken_only": 200, "footage_supers": 300, "early_brand": 400}


@dataclass
class ShapeSpec:
    file: str
    split: str
    language: str
    shape: str
    brand: ShapeBrand
    seed: int
    scenes: list[dict[str, Any]] = field(default_factory=list)
    voices: list[Voice] = field(default_factory=list)
    taglines: list[str] = field(default_factory=list)  # on-screen lines that are not the brand
    duration: float = 0.0


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.encode("ascii", "ignore").decode()).split())


def names_brand(line: str, brand: ShapeBrand) -> bool:
    """Does an on-screen line spell the brand (as a word) or its web address?"""
    words = f" {fold(line)} "
    stem = fold(brand.domain.rsplit(".", 1)[0])
    return f" {fold(brand.name)} " in words or f" {stem} " in words \
        or fold(brand.name).replace(" ", "") in words.replace(" ", "") and len(brand.name) > 3


def _lum(hex_colour: str) -> float:
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ff(hex_colour: str) -> str:
    return "0x" + hex_colour.lstrip("#")


def copy_scene(line: str, lang: str, rng: random.Random, font_list: list[str]) -> dict[str, Any]:
    """A scene of generate.py's kind (coloured background, moving text), never naming a brand."""
    bg, fg = rng.choice(PALETTE)
    return {
        "kind": "copy", "seconds": round(rng.uniform(3.8, 6.0), 1), "bg": bg, "fg": fg,
        "text": line, "font": rng.choice(font_list),
        "size": min(rng.randint(52, 80), int(W * 0.92 / (0.6 * max(len(line), 1)))),
        "motion": rng.choice(("static", "scroll", "slide", "fade", "drift")),
        "shapes": rng.randint(0, 3), "noise": rng.random() < 0.3,
        "small": rng.choice(SMALL_PRINT[lang]) if rng.random() < 0.3 else "", "logo": "",
    }


def text(line: str, size: int, y: str, fg: str, font: str, x: str = "(w-text_w)/2",
         box: bool = False) -> dict[str, Any]:
    return {"text": line, "size": size, "x": x, "y": y, "fg": fg, "font": font, "box": box}


def photo_base(photo: str, rng: random.Random) -> dict[str, Any]:
    return {"base": "photo", "photo": photo, "kb": rng.choice(("in", "out", "pan")),
            "amount": round(rng.uniform(0.08, 0.22), 2)}


def photo_scene(line: str, photo: str, rng: random.Random, font: str, small: bool
                ) -> dict[str, Any]:
    """Footage with a super: small (3-5 % of frame height, lower third) or a mid-size title."""
    size = rng.randint(int(H * 0.03), int(H * 0.05)) if small else rng.randint(40, 60)
    size = min(size, int(W * 0.92 / (0.6 * max(len(line), 1))))  # a long line must still fit
    y = f"h*{rng.uniform(0.72, 0.84):.2f}" if small else "(h-text_h)/2"
    x = rng.choice(("(w-text_w)/2", "60")) if small else "(w-text_w)/2"
    return {"kind": "card", "seconds": round(rng.uniform(3.8, 5.8), 1), **photo_base(photo, rng),
            "texts": [text(line, size, y, "white", font, x=x, box=rng.random() < 0.6)],
            "noise": rng.random() < 0.2}


def logo_card(b: ShapeBrand, tag: str, cta: str, rng: random.Random, font: str, photo: str
              ) -> dict[str, Any]:
    hexc = logos.brand_hex(b.icon)
    style = rng.choice(("brand_on_white", "white_on_brand", "on_photo", "on_dark", "corner"))
    if style in ("brand_on_white", "corner") and _lum(hexc) > 0.75:
        style = "on_dark"  # a very light mark would vanish on white
    scene: dict[str, Any] = {"kind": "card", "seconds": round(rng.uniform(4.0, 6.0), 1),
                             "base": "color", "style": style, "noise": rng.random() < 0.15}
    fg, box = "0x222222", False
    if style in ("brand_on_white", "corner"):
        scene["bg"], colour = rng.choice(("white", "0xF4F4F4", "0xFAF7F0")), hexc
    elif style == "white_on_brand":
        scene["bg"], colour = _ff(hexc), "#FFFFFF"
        fg = "black" if _lum(hexc) > 0.6 else "white"
    elif style == "on_dark":
        scene["bg"], colour, fg = rng.choice(("black", "0x101820", "0x1B1B2F")), hexc, "white"
        if _lum(hexc) < 0.2:
            colour = "#FFFFFF"
    else:
        scene.update(photo_base(photo, rng))
        colour, fg, box = rng.choice(("#FFFFFF", hexc)), "white", True
    pct = rng.uniform(0.10, 0.16) if style == "corner" else rng.uniform(0.12, 0.40)
    width = int(W * pct)
    height = min(width, int(H * 0.46))
    if style == "corner":
        x, y = f"W-w-{rng.randint(40, 80)}", f"H-h-{rng.randint(40, 80)}"
        tag_y, tag_size = "(h-text_h)/2-40", rng.randint(54, 72)
    else:
        x, y = "(W-w)/2", f"{int(H * 0.40)}-h/2"
        tag_y, tag_size = f"{int(H * 0.40) + height // 2 + 30}", rng.randint(38, 54)
    motion = rng.choice(("static", "drift", "slide", "zoom"))
    if motion == "drift":
        x, y = f"{x}+14*sin(t*1.3)", f"{y}+8*cos(t)"
    elif motion == "slide":
        x = f"{x}+max(0\\,1-t/0.7)*W/2"
    scene["zoom"] = motion == "zoom"
    scene["logo"] = {"slug": b.icon, "colour": colour, "width": width, "height": height,
                     "x": x, "y": y}
    if rng.random() < 0.3:  # partly covered: a sticker or a band over one corner of the mark
        scene["cover"] = {"w": round(rng.uniform(0.25, 0.45), 2),
                          "h": round(rng.uniform(0.25, 0.45), 2),
                          "colour": rng.choice(("0xFFD54F", "0xE53935", "white", "black"))}
    tag_size = min(tag_size, int(W * 0.92 / (0.6 * max(len(tag), 1))))
    scene["texts"] = [text(tag, tag_size, tag_y, fg, font, box=box),
                      text(cta, 32, "h-90", fg, font, box=box)]
    return scene


def say_domain(b: ShapeBrand, lang: str) -> str:
    stem, tld = b.domain.rsplit(".", 1)
    spoken = stem.replace("-", " ")
    for cand in (b.say, b.name):
        if cand and fold(cand).replace(" ", "") == stem.replace("-", ""):
            spoken = cand
            break
    tld = " ".join(tld) if len(tld) <= 2 else tld
    return f"{spoken} {'point' if lang == 'fr' else 'dot'} {tld}"


def est_seconds(line: str, speed: int) -> float:
    return len(line.split()) * 60 / speed * 1.3 + 0.5


# A second development split for the two shapes whose brands are only shown or only heard: two
# more renders of each brand, one in each language, with seeds of their own. The dev split has one
# render per brand; these give the matcher and the ears more to be tuned on, so the held-out split
# stays untouched. Rendered only on request (generate --only tune).
TUNE_SHAPES = ("logo_only", "spoken_only")
SPLIT_SEED = {"dev": 1, "holdout": 2, "tune": 3}


def plan_shape(shape: str, b: ShapeBrand, index: int, split: str, second: bool = False
               ) -> ShapeSpec:
    seed = SPLIT_SEED[split] * 10_000 + SEED_BASE[shape] + index + (50 if second else 0)
    rng = random.Random(seed)
    first = "en" if index % 2 == 0 else "fr"
    other = "fr" if first == "en" else "en"
    lang = other if split == "holdout" or (split == "tune" and second) else first
    copy = list(b.en if lang == "en" else b.fr)
    tag, cta = (b.tag_en, b.cta_en) if lang == "en" else (b.tag_fr, b.cta_fr)
    slug = "".join(ch for ch in b.name.lower() if ch.isalnum())
    n = index + (len(SHAPES[shape]) if second else 0)
    spec = ShapeSpec(f"{split}/{shape}/{n:02d}-{slug}.mp4", split, lang, shape, b, seed)
    font_list = fonts()
    font = rng.choice(font_list)
    pics = [str(p) for p in footage.pick(THEMES.get(b.name, ()), 6, rng)]
    if shape == "logo_only":
        scenes = [copy_scene(x, lang, rng, font_list) for x in copy]
        k = rng.randrange(len(scenes) + 1)  # sometimes one copy line runs over a photograph
        if k < len(scenes):
            scenes[k] = photo_scene(copy[k], pics[1], rng, font, small=False)
        scenes.append(logo_card(b, tag, cta, rng, font, pics[0]))
    elif shape == "spoken_only":
        scenes = [copy_scene(x, lang, rng, font_list) for x in copy]
        bg, fg = rng.choice(PALETTE)
        seconds = round(rng.uniform(4.0, 6.0), 1)  # drawn before the size: keeps the seeds' plans
        tag_size = min(rng.randint(56, 84), int(W * 0.92 / (0.6 * len(tag))))
        end: dict[str, Any] = {
            "kind": "card", "base": "color", "bg": bg, "noise": False, "zoom": False,
            "seconds": seconds,
            "texts": [text(tag, tag_size, "(h-text_h)/2-30", fg, font),
                      text(cta, 34, "h-110", fg, font)]}
        voice, speed, pitch = pick_voice(lang, rng)
        name = b.say or b.name
        close = f"{name}. {tag}" if rng.random() < 0.5 else f"{tag} {name}."
        lines = [close]
        if rng.random() < 0.7:
            lines.append(("Rendez-vous sur " if lang == "fr" else "Visit ") + say_domain(b, lang))
        need = sum(est_seconds(x, speed) for x in lines) + 0.6
        end["seconds"] = round(max(float(end["seconds"]), need), 1)
        scenes.append(end)
        start = sum(float(s["seconds"]) for s in scenes[:-1])
        spec.voices.append(Voice(copy[0], 0.5, voice, speed, pitch))  # product words, no name
        t = max(start - rng.uniform(0.0, 0.8), est_seconds(copy[0], speed) + 0.8)
        for line in lines:
            spec.voices.append(Voice(line, round(t, 2), voice, speed, pitch))
            t += est_seconds(line, speed)
    elif shape == "footage_supers":
        scenes = [photo_scene(x, pics[i], rng, font, small=True) for i, x in enumerate(copy)]
        last = photo_scene(tag, pics[len(copy)], rng, font, small=True)
        size = rng.randint(int(H * 0.03), int(H * 0.05))
        brand_line = rng.choice((f"{b.name}  ·  {b.domain}", f"{b.name} - www.{b.domain}",
                                 f"{b.domain}"))
        if brand_line == b.domain:
            brand_line = f"{b.name}\n{b.domain}"
        last["texts"][0]["y"] = "h*0.66"
        last["texts"].append(text(brand_line, size, "h*0.80", "white", font,
                                  x=rng.choice(("(w-text_w)/2", "w-text_w-60")), box=True))
        scenes = [*scenes, last]
    else:  # early_brand
        opener: dict[str, Any] = {"kind": "card", "seconds": round(rng.uniform(2.0, 4.0), 1),
                                  "noise": False, "zoom": rng.random() < 0.3}
        if rng.random() < 0.4:
            opener.update(photo_base(pics[0], rng))
            fg, box = "white", True
        else:
            bg, fg = rng.choice(PALETTE)
            opener.update({"base": "color", "bg": bg})
            box = False
        size = min(rng.randint(90, 140), int(W * 0.9 / (0.62 * len(b.name))))
        opener["texts"] = [text(b.name, size, "(h-text_h)/2+40", fg, font, box=box)]
        if logos.has_logo(b.icon) and rng.random() < 0.5:
            width = int(W * rng.uniform(0.10, 0.18))
            opener["logo"] = {"slug": b.icon, "colour": "#FFFFFF" if fg == "white" else
                              logos.brand_hex(b.icon), "width": width, "height": width,
                              "x": "(W-w)/2", "y": f"{int(H * 0.5) - 40}-h-{size // 2}"}
        scenes = [opener]
        for i, line in enumerate(copy):
            scenes.append(photo_scene(line, pics[i + 1], rng, font, small=False)
                          if rng.random() < 0.5 else copy_scene(line, lang, rng, font_list))
        scenes.append(photo_scene(tag, pics[4], rng, font, small=rng.random() < 0.5)
                      if rng.random() < 0.6 else copy_scene(tag, lang, rng, font_list))
    spec.scenes = scenes
    spec.taglines = [*copy, tag] + ([cta] if shape in ("logo_only", "spoken_only") else [])
    spec.taglines += sorted({str(s["small"]) for s in scenes if s.get("small")})
    if shape in ("logo_only", "spoken_only"):
        bad = [x for x in spec.taglines if names_brand(x, b)]
        if bad:
            raise ValueError(f"{b.name}: on-screen line names the brand: {bad}")
    spec.duration = round(sum(float(s["seconds"]) for s in scenes), 1)
    return spec


def plan_all(shapes: list[str] | None = None) -> list[ShapeSpec]:
    return [plan_shape(shape, b, i, split)
            for shape, brands in SHAPES.items() if shapes is None or shape in shapes
            for split in ("dev", "holdout") for i, b in enumerate(brands)] + [
        plan_shape(shape, b, i, "tune", second)
        for shape, brands in SHAPES.items() if shape in TUNE_SHAPES
        and (shapes is None or shape in shapes)
        for second in (False, True) for i, b in enumerate(brands)]
