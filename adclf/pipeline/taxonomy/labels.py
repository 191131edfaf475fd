"""A job's own category labels ("Cars, Insurance, Finance, Technology, Retail").

Users of the original pass a short list of their own labels and expect the answer's `category` to
be one of them. The taxonomy mapping runs first (IAB fields stay in the result); the label is then
chosen through the taxonomy when a label names the mapped node or one of its ancestors, and
otherwise by the packaged MiniLM text encoder: the label nearest to the mapped node's path, the
provider's own category words and the on-screen text.

Labels that are all taxonomy ids, names or aliases also restrict the mapping to those nodes (see
`restricts`); a list with any free label does not, so free labels never empty the search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from adclf.pipeline.taxonomy.index import TaxonomyIndex
from adclf.pipeline.taxonomy.model import Taxonomy

if TYPE_CHECKING:
    from adclf.pipeline.types import Classification, Evidence, TaxonomyMatch

# How much each text about the ad counts when comparing it with a label.
WEIGHTS = {"path": 0.5, "category": 0.3, "evidence": 0.2}
EVIDENCE_CHARS = 300


@dataclass
class LabelChoice:
    label: str
    method: str  # taxonomy | embedding
    score: float
    scores: dict[str, float] = field(default_factory=dict)


def restricts(index: TaxonomyIndex, categories: list[str] | None) -> bool:
    """True when every category is a taxonomy id, name or alias: then they restrict the mapping
    (IAB lists); any free label means they are labels only."""
    return bool(categories) and all(index.exact(c) or index.alias(c) for c in categories or [])


def _by_taxonomy(taxonomy: Taxonomy, index: TaxonomyIndex, labels: list[str], node_id: str
                 ) -> str | None:
    """The label naming the mapped node or its nearest ancestor."""
    if node_id not in taxonomy:
        return None
    for ancestor in reversed(taxonomy.ancestors(node_id)):
        for label in labels:
            if ancestor.id in index.exact(label):
                return label
    return None


def _texts(taxonomy: Taxonomy, mapping: TaxonomyMatch, classification: Classification,
           evidence: Evidence | None) -> dict[str, str]:
    texts = {"category": classification.category or mapping.category_name}
    if mapping.category_id in taxonomy:
        texts["path"] = taxonomy.path(mapping.category_id)
    elif mapping.category_name:
        texts["path"] = mapping.category_name
    if evidence is not None and evidence.ocr_text.strip():
        texts["evidence"] = " ".join(evidence.ocr_text.split())[:EVIDENCE_CHARS]
    return {k: v for k, v in texts.items() if v}


def choose(taxonomy: Taxonomy, index: TaxonomyIndex, labels: list[str], mapping: TaxonomyMatch,
           classification: Classification, evidence: Evidence | None = None
           ) -> LabelChoice | None:
    """The job's label for this answer, or None when there are no labels."""
    labels = [lb for lb in dict.fromkeys(labels) if lb.strip()]
    if not labels:
        return None
    named = _by_taxonomy(taxonomy, index, labels, mapping.category_id)
    if named is not None:
        return LabelChoice(named, "taxonomy", 1.0, {named: 1.0})
    texts = _texts(taxonomy, mapping, classification, evidence)
    if not texts:
        return LabelChoice(labels[0], "none", 0.0, {})
    from adclf.pipeline.embedded.text_encoder import get_text_encoder

    encoder = get_text_encoder()
    kinds = list(texts)
    about = encoder.encode([texts[k] for k in kinds])
    vecs = encoder.encode(labels)
    sims = vecs @ about.T  # labels × texts, unit vectors: cosine similarity
    weights = np.array([WEIGHTS[k] for k in kinds], dtype=np.float32)
    scores = (sims * weights).sum(axis=1) / weights.sum()
    best = int(np.argmax(scores))
    return LabelChoice(labels[best], "embedding", round(float(scores[best]), 4),
                       {lb: round(float(s), 4) for lb, s in zip(labels, scores, strict=True)})
