"""The in-memory taxonomy: nodes by id, parents, children, paths and tier-1 industries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    id: str
    name: str
    parent_id: str | None
    aliases: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


class Taxonomy:
    """A forest of `Node`s. Built once by the loader, then read-only (shared between threads)."""

    def __init__(self, nodes: list[Node], source: str = "") -> None:
        self.source = source
        self.nodes: dict[str, Node] = {}
        for node in nodes:
            self.nodes[node.id] = node
        for node in self.nodes.values():
            node.children = []
        for node in self.nodes.values():
            if node.parent_id is not None and node.parent_id not in self.nodes:
                # An unknown parent would hide the node from the tree: treat it as a root.
                node.parent_id = None
        self._break_cycles()
        for node in self.nodes.values():
            if node.parent_id is not None:
                self.nodes[node.parent_id].children.append(node.id)
        self.roots: list[str] = [n.id for n in self.nodes.values() if n.parent_id is None]

    def _break_cycles(self) -> None:
        for node in self.nodes.values():
            seen = {node.id}
            cur = node.parent_id
            while cur is not None:
                if cur in seen:
                    node.parent_id = None
                    break
                seen.add(cur)
                cur = self.nodes[cur].parent_id

    # lookups
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def get(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def parent(self, node_id: str) -> Node | None:
        node = self.nodes[node_id]
        return self.nodes[node.parent_id] if node.parent_id is not None else None

    def children(self, node_id: str) -> list[Node]:
        return [self.nodes[c] for c in self.nodes[node_id].children]

    def ancestors(self, node_id: str) -> list[Node]:
        """From the tier-1 industry down to the node itself."""
        chain: list[Node] = []
        cur: str | None = node_id
        while cur is not None:
            node = self.nodes[cur]
            chain.append(node)
            cur = node.parent_id
        return list(reversed(chain))

    def path_names(self, node_id: str) -> list[str]:
        return [n.name for n in self.ancestors(node_id)]

    def path(self, node_id: str, sep: str = " > ") -> str:
        return sep.join(self.path_names(node_id))

    def depth(self, node_id: str) -> int:
        return len(self.ancestors(node_id))

    def industry(self, node_id: str) -> Node:
        return self.ancestors(node_id)[0]

    def is_leaf(self, node_id: str) -> bool:
        return not self.nodes[node_id].children

    def leaves(self) -> list[Node]:
        return [n for n in self.nodes.values() if not n.children]

    def industries(self) -> list[Node]:
        return [self.nodes[r] for r in self.roots]

    def descendants(self, node_id: str) -> list[str]:
        out: list[str] = []
        stack = list(self.nodes[node_id].children)
        while stack:
            cur = stack.pop()
            out.append(cur)
            stack.extend(self.nodes[cur].children)
        return out

    def to_tree(self) -> list[dict[str, Any]]:
        """Nested `{id, name, children}` for `GET /api/taxonomy`."""

        def build(node_id: str) -> dict[str, Any]:
            node = self.nodes[node_id]
            return {"id": node.id, "name": node.name, "children": [build(c) for c in node.children]}

        return [build(r) for r in self.roots]
