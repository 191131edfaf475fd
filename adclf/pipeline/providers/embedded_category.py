"""What is advertised: taxonomy nodes ranked from the ad's copy (and visual labels when present).

Two signals, both over the taxonomy itself (no brand knowledge):
- product cues: taxonomy aliases (English and French product words) found in the OCR text;
- MiniLM similarity of each copy line to each node's path and aliases.
A node's score mixes both, plus a share of its parent's score so that a leaf whose whole branch
fits the copy beats a lone lookalike leaf elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from adclf.pipeline.embedded.text_encoder import get_text_encoder
from adclf.pipeline.taxonomy.index import TaxonomyIndex
from adclf.pipeline.taxonomy.model import Taxonomy
from adclf.pipeline.taxonomy.text import fold


@dataclass
class CopyLine:
    text: str
    weight: float


@dataclass
class CategoryParams:
    cue_weight: float = 0.4  # a full-strength alias hit is worth this much cosine similarity
    parent_share: float = 0.3  # how much of the parent's score a child inherits
    max_share: float = 0.5  # emb score = (1-max_share)*weighted mean + max_share*best line
    internal_penalty: float = 0.02  # prefer a leaf when an internal node ties with it
    zscore: bool = True
    z_scale: float = 0.1  # one standard deviation ≈ this much cosine, keeps weights comparable
    cue_saturation: float = 1.5  # hits needed for ~63% of the full cue bonus


@dataclass
class CategoryResult:
    ranked: list[tuple[str, float]]  # node id, score; best first
    cues: dict[str, list[str]] = field(default_factory=dict)  # node id → alias words found
    best_line: dict[str, str] = field(default_factory=dict)  # node id → copy line closest to it
    industry_margin: float = 0.0  # top score minus the best node of another industry
    top_score: float = 0.0


def score_categories(
    taxonomy: Taxonomy,
    index: TaxonomyIndex,
    lines: list[CopyLine],
    params: CategoryParams | None = None,
    allowed: set[str] | None = None,
) -> CategoryResult:
    p = params or CategoryParams()
    lines = [ln for ln in lines if ln.text.strip() and ln.weight > 0]
    if not lines:
        return CategoryResult([])
    node_ids, _, _ = index.embeddings()
    pos = {nid: i for i, nid in enumerate(node_ids)}

    vecs = get_text_encoder().encode([ln.text for ln in lines])
    _, mat = index.node_matrix(vecs)  # (lines, nodes)
    if p.zscore:
        # MiniLM finds some lines (French ones, slogans) similar to everything: what matters is
        # how much a node stands out for this line, so each line's scores are standardised.
        mat = (mat - mat.mean(1, keepdims=True)) / (mat.std(1, keepdims=True) + 1e-6)
        mat = mat * p.z_scale
    w = np.asarray([ln.weight for ln in lines], dtype=np.float32)
    mean = (mat * (w / w.sum())[:, None]).sum(0)
    best = (mat * (w / w.max())[:, None]).max(0)
    emb = (1 - p.max_share) * mean + p.max_share * best

    cue_score = np.zeros(len(node_ids), dtype=np.float32)
    cues: dict[str, list[str]] = {}
    cue_lines: dict[str, str] = {}
    for ln in lines:
        for hit in index.cues(ln.text):
            strength = (1.0 if hit.words == 1 else 1.3) * ln.weight
            cue_score[pos[hit.node_id]] += strength
            found = cues.setdefault(hit.node_id, [])
            if all(fold(hit.alias) != fold(f) for f in found):  # 'hotels' = 'hôtels'
                found.append(hit.alias)
            cue_lines.setdefault(hit.node_id, ln.text)
    if cue_score.max() > 0:
        # saturating: the second hit of the same node adds less than the first
        cue_score = 1.0 - np.exp(-cue_score / p.cue_saturation)
    raw = emb + p.cue_weight * cue_score

    parent_pos = np.asarray(
        [pos.get(taxonomy.nodes[nid].parent_id or "", -1) for nid in node_ids], dtype=np.int64
    )
    parent_raw = np.where(parent_pos >= 0, raw[np.maximum(parent_pos, 0)], 0.0)
    final = raw + p.parent_share * parent_raw
    # internal nodes get the same inheritance from their own parent; nudge ties towards leaves
    is_internal = np.asarray([bool(taxonomy.nodes[n].children) for n in node_ids])
    final = final - p.internal_penalty * is_internal

    order = np.argsort(-final)
    ranked = [(node_ids[i], float(final[i])) for i in order
              if allowed is None or node_ids[i] in allowed]
    if not ranked:
        return CategoryResult([])
    top_id, top_score = ranked[0]
    top_ind = taxonomy.industry(top_id).id
    other = next((s for nid, s in ranked[1:] if taxonomy.industry(nid).id != top_ind), 0.0)
    best_line: dict[str, str] = {}
    for nid, _ in ranked[:5]:
        # the line that carried the product word, else the copy line closest to the node
        best_line[nid] = cue_lines.get(nid) or lines[int(np.argmax(mat[:, pos[nid]] * w))].text
    return CategoryResult(
        ranked=ranked,
        cues=cues,
        best_line=best_line,
        industry_margin=float(top_score - other),
        top_score=float(top_score),
    )
