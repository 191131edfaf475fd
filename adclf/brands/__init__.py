"""Brand knowledge: the shipped catalogue of advertisers (names, aliases, web domains, simple-icons
logo slugs, IAB Ad Product 2.0 category) with a user include/exclude file, and a fast matcher for
brand names in OCR and speech transcripts.

    from adclf.brands import BrandCatalogue, default_catalogue
    cat = default_catalogue()                      # or BrandCatalogue.load(user_path=BRANDS_PATH)
    hits = cat.find_in_text(ocr_and_transcript)    # [BrandHit(brand, matched, score, kind, weak)]
    cat.by_domain("www.nike.ca"); cat.by_logo("nike"); cat.get("Tim Hortons")
"""

from __future__ import annotations

from adclf.brands.catalogue import BrandCatalogue, default_catalogue, normalize_domain
from adclf.brands.model import Brand, BrandHit

__all__ = ["Brand", "BrandCatalogue", "BrandHit", "default_catalogue", "normalize_domain"]
