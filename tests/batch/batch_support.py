"""Batch test helpers: a set of short real ads (ffmpeg, distinct brands and products) and the
bad inputs a manifest can hold."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from videos import simple_ad

# brands the catalogue knows, with a product line each: 10 x 3 variants = 30 ads
BRANDS = (("NIKE", "Running shoes"), ("PEPSI", "Cola drink"), ("TOYOTA", "Hybrid cars"),
          ("IKEA", "Sofas and beds"), ("ADIDAS", "Football boots"), ("SAMSUNG", "Smartphones"),
          ("HEINEKEN", "Lager beer"), ("LEGO", "Building toys"), ("NESPRESSO", "Coffee pods"),
          ("VISA", "Credit cards"))
TAGS = ("New", "Today", "Now")


def make_ads(folder: Path, count: int = 30) -> list[Path]:
    """`count` short ads (3 s, 320x180: a product scene and an end card) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for i in range(count):
        brand, product = BRANDS[i % len(BRANDS)]
        tag = TAGS[(i // len(BRANDS)) % len(TAGS)]
        jobs.append((folder / f"ad{i:03d}-{brand.lower()}.mp4", brand, f"{product} {tag}"))
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda j: simple_ad(j[0], brand=j[1], product=j[2],
                                                 domain=f"{j[1].lower()}.com", seconds=3,
                                                 size=(320, 180)), jobs))


def make_bad_inputs(folder: Path) -> dict[str, Path]:
    """A missing file, an HTML page saved as .mp4 and a zero-byte file."""
    folder.mkdir(parents=True, exist_ok=True)
    html = folder / "page.mp4"
    html.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return {"missing": folder / "missing.mp4", "html": html, "empty": empty}


def write_manifest(path: Path, entries: list[Path | str]) -> Path:
    path.write_text("".join(f"{e}\n" for e in entries))
    return path
