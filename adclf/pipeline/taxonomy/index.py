"""Lookups over one taxonomy: names, aliases (as product cues found in free text) and, lazily, a
MiniLM embedding of every node's path and aliases."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adclf.pipeline.taxonomy.model import Taxonomy
from adclf.pipeline.taxonomy.text import STOP_WORDS, fold, tokens

MAX_CUE_WORDS = 5


@dataclass
class CueHit:
    node_id: str
    alias: str  # the alias as written in the taxonomy
    words: int  # longer phrases are stronger cues


class TaxonomyIndex:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.by_name: dict[str, list[str]] = {}
        self.by_alias: dict[str, list[tuple[str, str]]] = {}
        for node in taxonomy.nodes.values():
            self.by_name.setdefault(fold(node.name), []).append(node.id)
            self.by_name.setdefault(fold(taxonomy.path(node.id)), []).append(node.id)
            for alias in node.aliases:
                key = fold(alias)
                if key and key not in STOP_WORDS:
                    self.by_alias.setdefault(key, []).append((node.id, alias))
        self._emb_lock = threading.Lock()
        self._node_ids: list[str] = []
        self._starts: np.ndarray = np.zeros(0, dtype=np.int64)
        self._doc_vecs: np.ndarray | None = None

    # exact and alias lookups
    def exact(self, text: str) -> list[str]:
        key = fold(text)
        if not key:
            return []
        if key in self.by_name:
            return list(dict.fromkeys(self.by_name[key]))
        stripped = text.strip()
        if stripped in self.taxonomy.nodes:
            return [stripped]
        return []

    def alias(self, text: str) -> list[str]:
        return list(dict.fromkeys(nid for nid, _ in self.by_alias.get(fold(text), [])))

    def cues(self, text: str) -> list[CueHit]:
        """Every alias phrase that occurs in `text` as whole words; longest match wins a span."""
        words = tokens(text)
        hits: list[CueHit] = []
        i = 0
        while i < len(words):
            matched = 0
            for n in range(min(MAX_CUE_WORDS, len(words) - i), 0, -1):
                key = " ".join(words[i : i + n])
                found = self.by_alias.get(key)
                if found:
                    hits.extend(CueHit(nid, alias, n) for nid, alias in found)
                    matched = n
                    break
            i += matched or 1
        return hits

    # embeddings
    def documents(self) -> tuple[list[str], list[str]]:
        """(node id, text) pairs: each node's path, plus one row per alias in the node's context."""
        ids: list[str] = []
        docs: list[str] = []
        for node in self.taxonomy.nodes.values():
            path = self.taxonomy.path(node.id)
            ids.append(node.id)
            docs.append(path)
            for alias in node.aliases:
                ids.append(node.id)
                docs.append(alias)
        return ids, docs

    def embeddings(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(node ids, first-document offset of each node, document vectors)."""
        if self._doc_vecs is None:
            with self._emb_lock:
                if self._doc_vecs is None:
                    ids, docs = self.documents()
                    node_ids: list[str] = []
                    starts: list[int] = []
                    for i, nid in enumerate(ids):
                        if not node_ids or node_ids[-1] != nid:
                            node_ids.append(nid)
                            starts.append(i)
                    vecs = _cached_encode(docs)
                    self._node_ids = node_ids
                    self._starts = np.asarray(starts, dtype=np.int64)
                    self._doc_vecs = vecs
        return self._node_ids, self._starts, self._doc_vecs

    def node_matrix(self, query_vecs: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Cosine similarity of each query to each node (best of the node's documents): (Q, N)."""
        node_ids, starts, vecs = self.embeddings()
        if len(query_vecs) == 0:
            return node_ids, np.zeros((0, len(node_ids)), dtype=np.float32)
        sims = query_vecs @ vecs.T
        return node_ids, np.maximum.reduceat(sims, starts, axis=1)

    def node_scores(
        self, query_vecs: np.ndarray, weights: np.ndarray | None = None
    ) -> dict[str, float]:
        """Weighted mean over queries of each node's similarity."""
        node_ids, mat = self.node_matrix(query_vecs)
        if mat.shape[0] == 0:
            return {}
        w = np.ones(mat.shape[0], dtype=np.float32) if weights is None else weights
        w = w / max(float(w.sum()), 1e-9)
        scores = (mat * w[:, None]).sum(0)
        return {nid: float(s) for nid, s in zip(node_ids, scores, strict=True)}


def _cached_encode(docs: list[str]) -> np.ndarray:
    """Embed the taxonomy documents, reusing an earlier process's result from a local cache file
    (a new worker then starts in about a second instead of re-embedding ~2,000 texts)."""
    from adclf.pipeline.embedded.text_encoder import TextEncoder, get_text_encoder

    digest = hashlib.sha256("\n".join([TextEncoder.name, *docs]).encode()).hexdigest()[:20]
    path = Path(tempfile.gettempdir()) / "adclf-cache" / f"taxonomy-{digest}.npy"
    try:
        vecs = np.load(path)
        if vecs.shape == (len(docs), 384):
            return vecs.astype(np.float32)
    except (OSError, ValueError):
        pass
    vecs = get_text_encoder().encode(docs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vecs)
        os.replace(tmp, path)  # atomic: concurrent workers never read half a file
    except OSError:
        pass  # a read-only temp dir only costs the cache
    return vecs


_indexes: dict[int, TaxonomyIndex] = {}
_lock = threading.Lock()


def get_index(taxonomy: Taxonomy) -> TaxonomyIndex:
    with _lock:
        index = _indexes.get(id(taxonomy))
        if index is None or index.taxonomy is not taxonomy:
            index = TaxonomyIndex(taxonomy)
            _indexes[id(taxonomy)] = index
        return index
