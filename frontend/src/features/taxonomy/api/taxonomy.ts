import { api, unwrap } from "../../../api/client";
import type { TaxonomyNode } from "../../../api/types";

export function fetchTaxonomy(signal?: AbortSignal): Promise<TaxonomyNode> {
  return unwrap(api.GET("/api/taxonomy", { signal }));
}

export type TreeNode = { id: string; name: string; children?: TreeNode[] | null };

/** Nodes whose name or id contains the query, with their ancestors (so the path stays visible). */
export function filterTree(nodes: TreeNode[], query: string): TreeNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return nodes;
  const out: TreeNode[] = [];
  for (const n of nodes) {
    const hit = n.name.toLowerCase().includes(q) || n.id.toLowerCase() === q;
    const kids = filterTree(n.children ?? [], q);
    // A matching parent keeps all its children: searching "Automotive" should show the branch.
    if (hit) out.push(n);
    else if (kids.length) out.push({ ...n, children: kids });
  }
  return out;
}

export function countNodes(nodes: TreeNode[]): number {
  return nodes.reduce((a, n) => a + 1 + countNodes(n.children ?? []), 0);
}
