"""Map a provider's category (free text, a taxonomy id/name, or ranked candidates) to a node.

Order: exact name/id/path → the provider's own ranked candidates → alias → MiniLM retrieval over
node paths and aliases. `categories` (a job setting) restricts every step to those nodes and their
descendants."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from adclf.pipeline.taxonomy.index import TaxonomyIndex, get_index
from adclf.pipeline.taxonomy.labels import choose, restricts
from adclf.pipeline.taxonomy.loader import load_taxonomy
from adclf.pipeline.taxonomy.model import Taxonomy
from adclf.pipeline.types import Classification, Evidence, TaxonomyMatch

if TYPE_CHECKING:
    from adclf.config import Settings

TOP_K = 5


class EmbeddingTaxonomyMapper:
    def __init__(self, taxonomy: Taxonomy, categories: list[str] | None = None) -> None:
        self.taxonomy = taxonomy
        self.index: TaxonomyIndex = get_index(taxonomy)
        # Free labels ("Cars, Retail") do not restrict: they are chosen after mapping (labels.py).
        self.allowed: set[str] | None = (self._allowed(categories)
                                         if categories and restricts(self.index, categories)
                                         else None)

    def _allowed(self, categories: list[str]) -> set[str]:
        allowed: set[str] = set()
        for item in categories:
            for nid in self.index.exact(item) or self.index.alias(item):
                allowed.add(nid)
                allowed.update(self.taxonomy.descendants(nid))
        return allowed

    def with_label(self, mapping: TaxonomyMatch, labels: list[str],
                   classification: Classification, evidence: Evidence) -> TaxonomyMatch:
        """The mapping with the job's own label for it (see labels.py)."""
        choice = choose(self.taxonomy, self.index, labels, mapping, classification, evidence)
        if choice is None:
            return mapping
        return replace(mapping, job_label=choice.label, job_label_method=choice.method,
                       job_label_score=choice.score)

    def _ok(self, node_id: str) -> bool:
        return node_id in self.taxonomy and (self.allowed is None or node_id in self.allowed)

    def _pick(self, ids: list[str], prefer: list[str]) -> str:
        """Several nodes share a name (e.g. 'Grooming Supplies'): prefer the provider's ranking,
        then leaves, then the smallest id (stable)."""
        ranked = [p for p in prefer if p in ids]
        if ranked:
            return ranked[0]
        return sorted(ids, key=lambda i: (not self.taxonomy.is_leaf(i), i))[0]

    def _entry(self, node_id: str, score: float) -> dict[str, Any]:
        node = self.taxonomy.nodes[node_id]
        return {
            "id": node.id,
            "name": node.name,
            "path": self.taxonomy.path(node.id),
            "score": round(float(score), 4),
        }

    def _match(
        self, node_id: str, method: str, score: float, top: list[dict[str, Any]]
    ) -> TaxonomyMatch:
        tax = self.taxonomy
        node = tax.nodes[node_id]
        parent = tax.parent(node_id)
        industry = tax.industry(node_id)
        if not top or top[0]["id"] != node_id:
            top = [self._entry(node_id, score)] + [t for t in top if t["id"] != node_id]
        return TaxonomyMatch(
            category_id=node.id,
            category_name=node.name,
            parent_category_id=parent.id if parent else None,
            parent_category=parent.name if parent else None,
            industry_id=industry.id,
            industry_name=industry.name,
            method=method,
            score=float(score),
            top=top[:TOP_K],
        )

    def retrieve(
        self, texts: list[str], weights: list[float] | None = None
    ) -> list[tuple[str, float]]:
        """Nodes ranked by MiniLM similarity to the texts (allowed nodes only)."""
        import numpy as np

        from adclf.pipeline.embedded.text_encoder import get_text_encoder

        texts = [t for t in texts if t.strip()]
        if not texts:
            return []
        vecs = get_text_encoder().encode(texts)
        w = np.asarray(weights, dtype=np.float32) if weights is not None else None
        scores = self.index.node_scores(vecs, w)
        ranked = sorted(
            ((nid, s) for nid, s in scores.items() if self._ok(nid)),
            key=lambda kv: (-kv[1], self.taxonomy.depth(kv[0]) * -1),
        )
        return ranked

    def map(self, classification: Classification, evidence: Evidence) -> TaxonomyMatch:
        text = (classification.category or "").strip()
        provider_ranked = [(cid, s) for cid, s in classification.candidates if self._ok(cid)]
        prefer = [cid for cid, _ in provider_ranked]
        provider_top = [self._entry(cid, s) for cid, s in provider_ranked[:TOP_K]]

        exact = [i for i in self.index.exact(text) if self._ok(i)] if text else []
        if exact and not (provider_ranked and provider_ranked[0][0] in exact):
            return self._match(self._pick(exact, prefer), "exact", 1.0, provider_top)
        if provider_ranked:
            # the provider ranked the taxonomy itself: keep its choice and its own score
            best, score = provider_ranked[0]
            return self._match(best, "provider", score, provider_top)
        alias = [i for i in self.index.alias(text) if self._ok(i)] if text else []
        if alias:
            return self._match(self._pick(alias, prefer), "alias", 0.9, [])
        query = text or evidence.ocr_text.strip()
        ranked = self.retrieve([query]) if query else []
        if not ranked:
            return empty_match()
        top = [self._entry(nid, s) for nid, s in ranked[:TOP_K]]
        best, score = ranked[0]
        return self._match(best, "embedding", score, top)


def empty_match() -> TaxonomyMatch:
    """Nothing to map (blank category, no candidates, no text): an explicit 'none', not a guess."""
    return TaxonomyMatch("", "", None, None, "", "", "none", 0.0, [])


_mappers: dict[tuple[str, tuple[str, ...]], EmbeddingTaxonomyMapper] = {}
_lock = threading.Lock()


def get_mapper(
    settings: Settings | None = None, categories: list[str] | None = None
) -> EmbeddingTaxonomyMapper:
    """The mapper for `settings.TAXONOMY_PATH` (or the packaged default), optionally restricted to
    a job's `categories` (ids or names; their descendants are allowed too). Cached per process."""
    taxonomy = load_taxonomy(settings)
    key = (taxonomy.source, tuple(categories or ()))
    with _lock:
        mapper = _mappers.get(key)
        if mapper is None or mapper.taxonomy is not taxonomy:
            mapper = EmbeddingTaxonomyMapper(taxonomy, categories)
            if len(_mappers) > 64:
                _mappers.clear()
            _mappers[key] = mapper
        return mapper
