"""Long ad copy with catalogue names and OCR noise (the matcher's test, benchmarks/micro.py)."""

from __future__ import annotations

import random

FILLER = ("the best deals of the summer on everything you need for your home and family "
          "profitez des meilleures offres de la saison chez nous livraison gratuite "
          "call now limited time only see store for details conditions s'appliquent "
          "new improved formula 50% off save $20 www example com 1-800-555-0199")


def ad_text(rng: random.Random, names: list[str], size: int = 2000) -> str:
    """`size` characters of filler words, about 5 % of them names and 3 % OCR noise."""
    words = FILLER.split()
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < size:
        r = rng.random()
        if r < 0.05:
            out.append(rng.choice(names))
        elif r < 0.08:
            out.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                               for _ in range(rng.randint(3, 9))))  # fmt: skip
        else:
            out.append(rng.choice(words))
    return " ".join(out)[:size]
