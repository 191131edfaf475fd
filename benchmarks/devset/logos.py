"""Brand logos for the dev set: Simple Icons SVGs (CC0, npm package under third_party/) rasterised
with rsvg-convert in one colour, as an end card would show them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "third_party" / "simple-icons" / "node_modules" / "simple-icons"


def _missing() -> None:
    sys.exit(f"no Simple Icons under {ICONS}: run (cd third_party/simple-icons && npm ci "
             "--no-audit --no-fund)")


@lru_cache(maxsize=1)
def _meta() -> dict[str, dict[str, str]]:
    path = ICONS / "data" / "simple-icons.json"
    if not path.exists():
        _missing()
    data = json.loads(path.read_text())
    icons = data if isinstance(data, list) else data["icons"]
    return {x["slug"]: x for x in icons}


def has_logo(slug: str) -> bool:
    return bool(slug) and (ICONS / "icons" / f"{slug}.svg").exists()


def brand_hex(slug: str) -> str:
    return "#" + _meta()[slug]["hex"]


def rasterise(slug: str, colour: str, width: int, height: int, out: Path) -> Path:
    """A transparent PNG of the logo fitted in width x height pixels, filled with `colour`."""
    if shutil.which("rsvg-convert") is None:
        sys.exit("rsvg-convert is not installed (apt-get install librsvg2-bin)")
    svg = (ICONS / "icons" / f"{slug}.svg").read_text()
    # Simple Icons paths carry no fill: a fill on the root element colours the whole mark.
    coloured = out.with_suffix(".svg")
    coloured.write_text(svg.replace("<svg ", f'<svg fill="{colour}" ', 1))
    subprocess.run(["rsvg-convert", "-w", str(width), "-h", str(height), "--keep-aspect-ratio",
                    "-o", str(out), str(coloured)], check=True, timeout=60)
    return out
