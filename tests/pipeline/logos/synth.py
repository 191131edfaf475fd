"""Real rendered ad frames for the logo tests and evaluation: Simple Icons rasterised by resvg,
composited by OpenCV onto plain, photographic (scikit-learn's sample photos, shipped in its wheel)
or procedurally textured backdrops, optionally partly covered, then JPEG-compressed at 720p."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from adclf.pipeline.logos.files import DEFAULT_SOURCE
from adclf.pipeline.logos.render import find_font, logo_mask

W, H = 1280, 720
ICONS = DEFAULT_SOURCE / "icons"
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
DARK = (17, 17, 24)


def hex_rgb(h: str) -> tuple[int, int, int]:
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def logo_alpha(path: Path, width: int) -> np.ndarray:
    """Anti-aliased coverage (0..1) of a logo file scaled to `width` pixels."""
    mask = logo_mask(path)
    assert mask is not None, path
    h = max(1, round(mask.shape[0] * width / mask.shape[1]))
    return cv2.resize(mask.astype(np.float32), (width, h), interpolation=cv2.INTER_AREA)


def photo(rng: np.random.Generator) -> np.ndarray:
    """A random crop of a real photo (scikit-learn sample images), resized to 720p."""
    from sklearn.datasets import load_sample_images

    imgs = load_sample_images().images  # two 427x640 RGB photos
    im = imgs[int(rng.integers(len(imgs)))]
    h, w = im.shape[:2]
    ch, cw = int(h * 0.7), int(w * 0.7)
    y, x = int(rng.integers(0, h - ch)), int(rng.integers(0, w - cw))
    return cv2.resize(im[y : y + ch, x : x + cw], (W, H), interpolation=cv2.INTER_CUBIC)


def texture(rng: np.random.Generator) -> np.ndarray:
    """A busy procedural backdrop: coloured blobs at several scales plus pixel noise."""
    img = np.zeros((H, W, 3), np.float32)
    for cells in (6, 18, 60):
        small = rng.uniform(0, 255, (cells * H // W + 1, cells, 3)).astype(np.float32)
        img += cv2.resize(small, (W, H), interpolation=cv2.INTER_CUBIC) / 3
    img += rng.normal(0, 12, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def gradient(rng: np.random.Generator) -> np.ndarray:
    a, b = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    t = (
        np.linspace(0, 1, W)[None, :, None]
        if rng.random() < 0.5
        else np.linspace(0, 1, H)[:, None, None]
    )
    img = a * (1 - t) + b * t
    return np.broadcast_to(img, (H, W, 3)).astype(np.uint8).copy()


def plain(colour: tuple[int, int, int]) -> np.ndarray:
    return np.full((H, W, 3), colour, np.uint8)


def paste(img: np.ndarray, alpha: np.ndarray, colour: tuple[int, int, int], x: int, y: int) -> None:
    h, w = alpha.shape
    region = img[y : y + h, x : x + w].astype(np.float32)
    a = alpha[..., None]
    img[y : y + h, x : x + w] = (region * (1 - a) + np.array(colour, np.float32) * a).astype(
        np.uint8
    )


def cover(
    img: np.ndarray, alpha: np.ndarray, x: int, y: int, frac: float, rng: np.random.Generator
) -> float:
    """Cover the logo from a random side with a solid bar hiding about `frac` of its pixels;
    returns the fraction actually hidden."""
    h, w = alpha.shape
    side = int(rng.integers(4))
    total = float(alpha.sum())
    prof = alpha.sum(axis=0) if side < 2 else alpha.sum(axis=1)
    if side % 2 == 1:
        prof = prof[::-1]
    n = int(np.searchsorted(np.cumsum(prof), frac * total)) + 1
    colour = tuple(int(c) for c in rng.integers(0, 255, 3))
    if side == 0:
        x0, y0, x1, y1 = x, y - h // 4, x + n, y + h + h // 4
    elif side == 1:
        x0, y0, x1, y1 = x + w - n, y - h // 4, x + w, y + h + h // 4
    elif side == 2:
        x0, y0, x1, y1 = x - w // 4, y, x + w + w // 4, y + n
    else:
        x0, y0, x1, y1 = x - w // 4, y + h - n, x + w + w // 4, y + h
    cv2.rectangle(img, (max(0, x0), max(0, y0)), (x1, y1), colour, -1)
    return float(np.cumsum(prof)[min(n, len(prof)) - 1] / total)


def cover_corner(
    img: np.ndarray, alpha: np.ndarray, x: int, y: int, rng: np.random.Generator,
    colour: tuple[int, int, int] | None = None,
) -> float:
    """Cover one corner of the logo's box with a sticker 25-45 % of its width and height (as an
    ad's price tag or product shot does), in a random colour or in `colour` (the logo's own:
    the sticker then merges with the mark). Returns the fraction of the logo hidden."""
    h, w = alpha.shape
    cw, ch = int(w * rng.uniform(0.25, 0.45)), int(h * rng.uniform(0.25, 0.45))
    corner = int(rng.integers(4))
    x0 = x if corner in (0, 2) else x + w - cw
    y0 = y if corner in (0, 1) else y + h - ch
    if colour is None:
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
    cv2.rectangle(img, (x0, y0), (x0 + cw - 1, y0 + ch - 1), colour, -1)
    hidden = alpha[y0 - y : y0 - y + ch, x0 - x : x0 - x + cw].sum()
    return float(hidden / max(alpha.sum(), 1e-6))


def jpeg(img: np.ndarray, quality: int = 80) -> np.ndarray:
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    assert ok
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def logo_frame(
    path: Path,
    rel_width: float,
    fg: tuple[int, int, int],
    bg: np.ndarray,
    rng: np.random.Generator,
    occlude: float = 0.0,
    quality: int = 80,
    corner: str = "",
) -> tuple[np.ndarray, list[int]]:
    """A 720p frame with the logo at rel_width of the frame width, at a random place, partly
    hidden by a bar (`occlude`, the fraction) or a corner sticker (`corner`).
    Returns (frame, true box x0,y0,x1,y1)."""
    alpha = logo_alpha(path, max(8, int(W * rel_width)))
    if alpha.shape[0] > H * 0.8:  # tall logos: cap the height instead
        alpha = logo_alpha(path, max(8, int(alpha.shape[1] * H * 0.8 / alpha.shape[0])))
    h, w = alpha.shape
    x = int(rng.integers(20, max(21, W - w - 20)))
    y = int(rng.integers(20, max(21, H - h - 20)))
    img = bg.copy()
    paste(img, alpha, fg, x, y)
    if occlude > 0:
        cover(img, alpha, x, y, occlude, rng)
    if corner:  # "other": a sticker of another colour; "same": of the logo's colour
        cover_corner(img, alpha, x, y, rng, fg if corner == "same" else None)
    return jpeg(img, quality), [x, y, x + w, y + h]


def text_frame(
    text: str, font_name: str, px: int, fg: tuple[int, int, int], bg: np.ndarray
) -> np.ndarray:
    """A text-only end card: `text` in a real font, centred."""
    path = find_font(font_name)
    assert path is not None, font_name
    font = ImageFont.truetype(str(path), px)
    im = Image.fromarray(bg.copy())
    draw = ImageDraw.Draw(im)
    x0, y0, x1, y1 = draw.multiline_textbbox((0, 0), text, font=font, align="center")
    draw.multiline_text(
        ((W - (x1 - x0)) / 2 - x0, (H - (y1 - y0)) / 2 - y0),
        text,
        fill=fg,
        font=font,
        align="center",
    )
    return jpeg(np.asarray(im))


def shape_frame(shape: str, side: int, fg: tuple[int, int, int], bg: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """A plain geometric shape (no brand's mark) of about `side` pixels at a random place."""
    im = Image.fromarray(bg.copy())
    d = ImageDraw.Draw(im)
    x = int(rng.integers(20, W - side - 20))
    y = int(rng.integers(20, max(21, H - side - 20)))
    box = (x, y, x + side, y + side)
    cx, cy, r = x + side / 2, y + side / 2, side / 2
    if shape == "disc":
        d.ellipse(box, fill=fg)
    elif shape == "ring":
        d.ellipse(box, outline=fg, width=max(2, side // 8))
    elif shape == "square":
        d.rectangle(box, fill=fg)
    elif shape == "rounded":
        d.rounded_rectangle(box, radius=side // 5, fill=fg)
    elif shape == "triangle":
        d.regular_polygon((cx, cy, r), 3, fill=fg)
    elif shape == "hexagon":
        d.regular_polygon((cx, cy, r), 6, fill=fg)
    elif shape == "star":
        pts = [(cx + (r if k % 2 == 0 else r * 0.45) * np.sin(k * np.pi / 5),
                cy - (r if k % 2 == 0 else r * 0.45) * np.cos(k * np.pi / 5)) for k in range(10)]
        d.polygon(pts, fill=fg)
    elif shape == "chevron":
        t = side / 4
        d.polygon([(x, y), (x + t, y), (x + side, cy), (x + t, y + side), (x, y + side),
                   (x + side - t, cy)], fill=fg)
    else:  # pill
        d.rounded_rectangle((x, y + side // 3, x + side, y + 2 * side // 3), radius=side // 6,
                            fill=fg)
    return jpeg(np.asarray(im))
