"""What a fake model "sees" and says: image checks and the echo answer."""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError


@dataclass
class ImageInfo:
    format: str
    width: int
    height: int
    nbytes: int


class BadImage(ValueError):
    pass


def inspect_image(b64: str, max_side: int) -> ImageInfo:
    """Decode one base64 image the way a model server would; BadImage if it is not a JPEG no
    larger than `max_side` on its longest side."""
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as err:
        raise BadImage(f"illegal base64 data: {err}") from None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            info = ImageInfo(img.format or "?", img.width, img.height, len(data))
    except (UnidentifiedImageError, OSError) as err:
        raise BadImage(f"image: unknown format: {err}") from None
    if info.format != "JPEG":
        raise BadImage(f"image is {info.format}, expected JPEG")
    if max(info.width, info.height) > max_side:
        raise BadImage(f"image is {info.width}x{info.height}, longest side over {max_side}")
    return info


def find_brand(text: str, brands: dict[str, str]) -> str | None:
    """The brand (of `brands`) that occurs first in `text`, as a whole word, any case."""
    best: tuple[int, str] | None = None
    for brand in brands:
        m = re.search(rf"(?<!\w){re.escape(brand)}(?!\w)", text, re.IGNORECASE)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), brand)
    return best[1] if best else None


def echo_answer(text: str, brands: dict[str, str], confidence: float, n_images: int) -> str:
    brand = find_brand(text, brands)
    if brand is None:
        answer: dict[str, Any] = {
            "brand": "",
            "category": "Unknown",
            "confidence": min(confidence, 0.3),
            "reasoning": f"no known brand in the text; saw {n_images} images",
        }
    else:
        answer = {
            "brand": brand,
            "category": brands[brand],
            "confidence": confidence,
            "reasoning": f"the on-screen text names {brand}; saw {n_images} images",
        }
    return json.dumps(answer)


PROSE = "Sure! This looks like an ad for running shoes, probably by ACME. Hope that helps."


def answer_text(fixed: dict[str, Any] | str | None, text: str, brands: dict[str, str],
                confidence: float, n_images: int) -> str:
    if isinstance(fixed, str):
        return fixed
    if isinstance(fixed, dict):
        return json.dumps(fixed)
    return echo_answer(text, brands, confidence, n_images)
