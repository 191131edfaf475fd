"""Taxonomy: the packaged IAB Ad Product Taxonomy 2.0 (ids and names by IAB Tech Lab, CC BY 3.0)
with adclf's own aliases, a loader for it and for official/custom files, and the mapper that turns a
provider's category into a taxonomy node.

    taxonomy = load_taxonomy(settings)   # cached; TAXONOMY_PATH or the packaged default
    mapper = get_mapper(settings)        # implements adclf.pipeline.types.TaxonomyMapper
    match = mapper.map(classification, evidence)
"""

from __future__ import annotations

from adclf.pipeline.taxonomy.loader import load_taxonomy, parse_taxonomy
from adclf.pipeline.taxonomy.mapper import EmbeddingTaxonomyMapper, get_mapper
from adclf.pipeline.taxonomy.model import Node, Taxonomy

__all__ = [
    "EmbeddingTaxonomyMapper",
    "Node",
    "Taxonomy",
    "get_mapper",
    "load_taxonomy",
    "parse_taxonomy",
]
