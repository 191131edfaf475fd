"""Read a taxonomy file: the official IAB Tech Lab TSV, or adclf's simple TSV.

Simple format (what the packaged default uses), UTF-8, tab-separated:

    # comment lines start with '#'
    id<TAB>parent_id<TAB>name<TAB>aliases
    1058<TAB><TAB>Clothing and Accessories<TAB>
    1070<TAB>1058<TAB>Footwear<TAB>shoes; sneakers; baskets

`parent_id` is empty for a tier-1 industry; `aliases` is optional, `;`-separated product words
(any language) that the mapper and the embedded classifier use as cues.

Official IAB format: columns `Unique ID, Parent ID, Name, Tier 1, Tier 2, Tier 3[, Tier 4]`.
Its known quirks are handled here, not by callers:
- CRLF line ends, a BOM, trailing spaces in cells, blank trailing rows;
- a row whose parent is itself, or a Parent ID that contradicts the Tier columns: the parent is
  taken from the Tier columns (the curated path) when they resolve to a known node;
- a Name that differs from its deepest Tier column ("Telcom" vs "Telecom"): the Tier value is the
  canonical name, the Name column is kept as an alias;
- duplicate names under different parents are fine: nodes are keyed by id.
"""

from __future__ import annotations

import csv
import io
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from adclf.errors import BadInput
from adclf.pipeline.taxonomy.model import Node, Taxonomy

if TYPE_CHECKING:
    from adclf.config import Settings

DEFAULT_RESOURCE = "ad_product_2_0.tsv"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [[cell.strip() for cell in row] for row in reader]


def parse_taxonomy(text: str, source: str = "") -> Taxonomy:
    rows = _rows(text)
    if not rows:
        raise BadInput(f"taxonomy {source or 'text'} is empty")
    header = [_norm(h) for h in rows[0]]
    if header[:2] == ["unique id", "parent id"]:
        nodes = _parse_iab(header, rows[1:])
    elif header[:3] == ["id", "parent_id", "name"]:
        nodes = _parse_simple(rows[1:])
    else:
        raise BadInput(
            f"taxonomy {source or 'text'}: unknown header {rows[0][:4]}; expected "
            "'Unique ID, Parent ID, Name, Tier 1..' or 'id, parent_id, name, aliases'"
        )
    if not nodes:
        raise BadInput(f"taxonomy {source or 'text'} has no rows")
    return Taxonomy(nodes, source=source)


def _parse_simple(rows: list[list[str]]) -> list[Node]:
    nodes: dict[str, Node] = {}
    for row in rows:
        row = row + [""] * (4 - len(row))
        node_id, parent_id, name, aliases = row[0], row[1], row[2], row[3]
        if not node_id or not name:
            continue
        parent = parent_id if parent_id and parent_id != node_id else None
        alias_list = [a.strip() for a in aliases.split(";") if a.strip()]
        nodes[node_id] = Node(node_id, " ".join(name.split()), parent, alias_list)
    return list(nodes.values())


def _parse_iab(header: list[str], rows: list[list[str]]) -> list[Node]:
    try:
        i_id, i_parent = header.index("unique id"), header.index("parent id")
        i_name = header.index("name")
    except ValueError as exc:
        raise BadInput(f"IAB taxonomy header lacks a column: {exc}") from None
    tier_cols = [i for i, h in enumerate(header) if h.startswith("tier")]
    parsed: list[tuple[Node, tuple[str, ...]]] = []
    by_path: dict[tuple[str, ...], str] = {}
    for row in rows:
        row = row + [""] * (len(header) - len(row))
        node_id = row[i_id]
        if not node_id:
            continue
        raw_name = " ".join(row[i_name].split())
        tiers = tuple(" ".join(row[i].split()) for i in tier_cols if row[i].strip())
        name = tiers[-1] if tiers else raw_name
        if not name:
            continue
        aliases = [raw_name] if raw_name and _norm(raw_name) != _norm(name) else []
        parent = row[i_parent] or None
        parsed.append((Node(node_id, name, parent, aliases), tiers))
        if tiers:
            by_path.setdefault(tuple(_norm(t) for t in tiers), node_id)
    nodes: list[Node] = []
    for node, tiers in parsed:
        if tiers:
            if len(tiers) == 1:
                node.parent_id = None
            else:
                resolved = by_path.get(tuple(_norm(t) for t in tiers[:-1]))
                if resolved is not None and resolved != node.id:
                    node.parent_id = resolved
        if node.parent_id == node.id:
            node.parent_id = None
        nodes.append(node)
    return nodes


def load_taxonomy_file(path: Path) -> Taxonomy:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise BadInput(f"cannot read taxonomy file {path}: {exc}") from None
    return parse_taxonomy(text, source=str(path))


def load_default_taxonomy() -> Taxonomy:
    package = resources.files("adclf.pipeline.taxonomy")
    text = package.joinpath("defaults").joinpath(DEFAULT_RESOURCE)
    return parse_taxonomy(text.read_text(encoding="utf-8"), source=f"packaged:{DEFAULT_RESOURCE}")


_cache: dict[str, Taxonomy] = {}
_lock = threading.Lock()


def load_taxonomy(settings: Settings | None = None) -> Taxonomy:
    """The taxonomy chosen by `TAXONOMY_PATH` (else the packaged default), parsed once."""
    path = settings.TAXONOMY_PATH if settings is not None else None
    key = str(Path(path).expanduser().resolve()) if path else ""
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = load_taxonomy_file(Path(key)) if key else load_default_taxonomy()
            _cache[key] = cached
        return cached
