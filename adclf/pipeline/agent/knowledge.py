"""The agent's tools over what adclf knows beside the video: taxonomy categories near a phrase
(the taxonomy mapper's exact, alias and embedding look-ups, within the job's `categories`) and a
brand in the catalogue (by name, alias, web address, or a name inside a longer text)."""

from __future__ import annotations

from typing import Any

from adclf.pipeline.agent.results import ToolFailure, ToolResult
from adclf.pipeline.brand_catalogue import get_catalogue
from adclf.pipeline.context import JobContext
from adclf.pipeline.taxonomy import get_mapper
from adclf.pipeline.taxonomy.search import candidates

TOP = 5


def search_taxonomy(ctx: JobContext, phrase: str) -> ToolResult:
    phrase = phrase.strip()
    if not phrase:
        raise ToolFailure("the phrase is empty")
    mapper = get_mapper(ctx.settings, ctx.job.categories)
    with ctx.timer("taxonomy"):
        out = candidates(mapper, phrase, TOP)
    summary = ", ".join(f"{c['name']} [{c['id']}] {c['score']:.2f}" for c in out) or "nothing"
    return ToolResult({"phrase": phrase, "candidates": out}, summary)


def lookup_brand(ctx: JobContext, name: str) -> ToolResult:
    name = name.strip()
    if not name:
        raise ToolFailure("the brand name is empty")
    catalogue = get_catalogue(ctx.settings.BRANDS_PATH)
    how = "name"
    brand = catalogue.get(name)
    if brand is None and "." in name:
        brand, how = catalogue.by_domain(name), "web address"
    if brand is None:
        hits = [h for h in catalogue.find_in_text(name) if not h.weak]
        if hits:
            brand, how = hits[0].brand, f"{hits[0].kind} match of {hits[0].matched!r}"
    if brand is None:
        return ToolResult({"query": name, "found": False,
                           "note": "not in the brand catalogue (it may still be the advertiser)"},
                          f"{name!r} not in the catalogue")
    entry: dict[str, Any] = {"query": name, "found": True, "matched_by": how,
                             "name": brand.name, "aliases": list(brand.aliases),
                             "domains": list(brand.domains), "category_id": brand.category_id}
    if brand.category_id:
        tax = get_mapper(ctx.settings).taxonomy
        if brand.category_id in tax:
            entry["category"] = tax.path(brand.category_id)
    return ToolResult(entry, f"{brand.name} ({how})" + (
        f", category {entry.get('category', brand.category_id)}" if brand.category_id else ""))
