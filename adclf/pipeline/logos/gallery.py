"""The logo gallery: the shipped Simple Icons silhouettes plus the user's own logos (LOGO_DIR)."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adclf.pipeline.logos import bits
from adclf.pipeline.logos.colour import hex_lab
from adclf.pipeline.logos.files import ARRAYS, DEFAULT_OUT, META
from adclf.pipeline.logos.render import logo_mask
from adclf.pipeline.logos.shapes import binarise, descriptor, normalise

log = logging.getLogger(__name__)
USER_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".webp"}


class GalleryMissing(RuntimeError):
    """The shipped gallery was never built (scripts/setup.sh builds it)."""


@dataclass
class Entry:
    brand: str  # display name: the icon's title or the user file's stem
    key: str  # simple-icons slug | user file stem | generic shape id
    source: str  # gallery | user | generic


class LogoGallery:
    """All known silhouettes, as arrays the matcher scans at once.

    user_dir: one PNG/SVG (JPEG/WebP also read) per brand, file stem = brand name. A user logo
    replaces a shipped icon of the same brand (case-insensitive title match). Loading is lazy:
    call warm() to pay it up front."""

    def __init__(self, user_dir: Path | None = None, gallery_dir: Path = DEFAULT_OUT) -> None:
        self.user_dir = user_dir
        self.gallery_dir = gallery_dir
        self._lock = threading.Lock()
        self._loaded = False
        self.entries: list[Entry] = []
        self.packed = np.zeros((0, 64), np.uint64)  # N silhouettes, one uint64 per row
        self.packed_dilated = self.packed  # the same, 3 x 3 dilated (tolerant matching)
        self.descriptors = np.zeros((0, 0), np.float32)  # N x DESC*DESC retrieval vectors
        self.is_brand = np.zeros(0, bool)
        self.colours = np.zeros((0, 3), np.float32)  # N x Lab brand colour; NaN: none or a grey

    def warm(self) -> LogoGallery:
        with self._lock:
            if not self._loaded:
                self._load()
                self._loaded = True
        return self

    def __len__(self) -> int:
        """Brands (an icon drawn twice, with and without its detached marks, counts once)."""
        self.warm()
        return len({e.key for e, brand in zip(self.entries, self.is_brand, strict=True)
                    if brand})

    def _load(self) -> None:
        if not (self.gallery_dir / ARRAYS).exists():
            raise GalleryMissing(f"no logo gallery in {self.gallery_dir}: run scripts/setup.sh")
        meta = json.loads((self.gallery_dir / META).read_text())
        with np.load(self.gallery_dir / ARRAYS) as z:
            packed = z["packed"]
            desc = z["descriptors"].astype(np.float32)
        entries = [
            Entry(e["brand"], e["key"], "generic" if e["kind"] == "generic" else "gallery")
            for e in meta["entries"]
        ]
        colours = [_lab_or_nan(e.get("hex")) for e in meta["entries"]]
        users = self._user_entries()
        if users:
            replaced = {u[0].brand.casefold() for u in users}
            keep = [i for i, e in enumerate(entries) if e.brand.casefold() not in replaced]
            entries = [entries[i] for i in keep] + [u[0] for u in users]
            colours = [colours[i] for i in keep] + [_lab_or_nan(None)] * len(users)
            packed = np.concatenate([packed[keep], bits.pack(np.stack([u[1] for u in users]))])
            desc = np.concatenate([desc[keep], np.stack([u[2] for u in users])])
        self.entries = entries
        self.packed = np.ascontiguousarray(packed)
        self.packed_dilated = bits.dilate(self.packed)
        self.descriptors = np.ascontiguousarray(desc)
        self.is_brand = np.array([e.source != "generic" for e in entries])
        self.colours = np.array(colours, np.float32).reshape(-1, 3)

    def _user_entries(self) -> list[tuple[Entry, np.ndarray, np.ndarray]]:
        if self.user_dir is None or not self.user_dir.is_dir():
            return []
        out = []
        for path in sorted(self.user_dir.iterdir()):
            if path.suffix.lower() not in USER_SUFFIXES or path.name.startswith("."):
                continue
            mask = logo_mask(path)
            if mask is None or mask.sum() < 20:
                log.warning("logo %s: no usable silhouette, skipped", path.name)
                continue
            canvas = normalise(mask)
            out.append((Entry(path.stem, path.stem, "user"), binarise(canvas), descriptor(canvas)))
        return out


def _lab_or_nan(hexc: str | None) -> np.ndarray:
    lab = hex_lab(hexc)
    return np.full(3, np.nan, np.float32) if lab is None else lab
