"""Taxonomy categories near a phrase, as the mapper finds them: exact name, alias, then MiniLM
similarity, within the categories the mapper allows. Used by GET /api/taxonomy/search (and so
by the MCP tool `taxonomy_candidates`)."""

from __future__ import annotations

from typing import Any

from adclf.pipeline.taxonomy.mapper import EmbeddingTaxonomyMapper

TOP = 5


def candidates(mapper: EmbeddingTaxonomyMapper, phrase: str, top: int = TOP
               ) -> list[dict[str, Any]]:
    """Up to `top` nodes `{id, name, path, industry, score, match}`, best first; exact and alias
    hits rank before the embedding ones (scores 1.0 and 0.9 by convention)."""
    phrase = phrase.strip()
    if not phrase:
        return []
    tax = mapper.taxonomy
    ranked: list[tuple[str, float, str]] = [(nid, 1.0, "exact")
                                            for nid in mapper.index.exact(phrase)]
    ranked += [(nid, 0.9, "alias") for nid in mapper.index.alias(phrase)]
    ranked += [(nid, s, "embedding") for nid, s in mapper.retrieve([phrase])[: top * 2]]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for nid, score, how in ranked:
        if nid in seen or nid not in tax or (mapper.allowed is not None
                                             and nid not in mapper.allowed):
            continue
        seen.add(nid)
        out.append({"id": nid, "name": tax.nodes[nid].name, "path": tax.path(nid),
                    "industry": tax.industry(nid).name, "score": round(float(score), 3),
                    "match": how})
        if len(out) >= top:
            break
    return out
