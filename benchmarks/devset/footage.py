"""Real photographs for the footage scenes, all shipped inside installed packages (nothing is
downloaded): scikit-image's bundled sample photos (PyPI wheel, `skimage/data/`) and the MATE
desktop's nature photographs (Debian package mate-backgrounds). Sources and licences are in the
devset README; the renderer animates them with pan and zoom."""

from __future__ import annotations

import importlib.util
import random
import sys
from functools import lru_cache
from pathlib import Path

# Colour camera photographs only (the wheel also holds microscopy, charts and synthetic images).
# (Not the stereo motorcycle: it shows another maker's name and is licensed for research only.)
SKIMAGE_PHOTOS = ("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg",
                  "hubble_deep_field.jpg", "camera.png", "grass.png", "brick.png")
MATE_NATURE = Path("/usr/share/backgrounds/mate/nature")
# Photographs that suggest no product (landscapes, textures): the only ones used as filler for a
# brand without themed pictures, so that a coffee cup never hints at the wrong category.
NEUTRAL = ("Dune", "Storm", "GreenMeadow", "Blinds", "Wood", "RainDrops", "Aqua", "grass",
           "brick", "TwoWings")


def _skimage_data() -> Path | None:
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


@lru_cache(maxsize=1)
def photos() -> dict[str, Path]:
    """Name (file stem) -> path of every available photograph."""
    found: dict[str, Path] = {}
    data = _skimage_data()
    if data is not None:
        found.update({Path(n).stem: data / n for n in SKIMAGE_PHOTOS if (data / n).exists()})
    if MATE_NATURE.is_dir():
        found.update({p.stem: p for p in sorted(MATE_NATURE.glob("*.jpg"))})
    if len(found) < 6:
        sys.exit("too few photographs for footage scenes: pip install -e '.[bench]' (scikit-image)"
                 " and apt-get install mate-backgrounds")
    return found


def pick(themes: tuple[str, ...], n: int, rng: random.Random) -> list[Path]:
    """n photographs: the brand's themed ones first (shuffled), then neutral ones, then any."""
    pool = photos()
    themed = [pool[t] for t in themes if t in pool]
    rng.shuffle(themed)
    neutral = [pool[k] for k in NEUTRAL if k in pool and pool[k] not in themed]
    rng.shuffle(neutral)
    others = themed + neutral
    others += [p for _, p in sorted(pool.items()) if p not in others]
    return others[:n]
