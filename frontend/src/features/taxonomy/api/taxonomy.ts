import { api, unwrap } from "../../../api/client";
import { displayText } from "../../../lib/format";

export type TreeNode = { id: string; name: string; children?: TreeNode[] | null };
export type Taxonomy = { name: string; roots: TreeNode[] };

function toNode(raw: unknown): TreeNode | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  if (o.id == null || o.name == null) return null;
  const kids = Array.isArray(o.children) ? o.children.map(toNode).filter((n): n is TreeNode => n !== null) : [];
  return { id: displayText(o.id), name: displayText(o.name).trim(), children: kids };
}

/** Accepts `{name, tree: [...]}`, a bare list of roots, or a single root node. */
export function normalizeTaxonomy(raw: unknown): Taxonomy {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const name = typeof o.name === "string" ? o.name : "Taxonomy";
  let list: unknown[];
  if (Array.isArray(raw)) list = raw;
  else if (Array.isArray(o.tree)) list = o.tree;
  else if (Array.isArray(o.children)) list = o.children;
  else list = [];
  return { name, roots: list.map(toNode).filter((n): n is TreeNode => n !== null) };
}

export async function fetchTaxonomy(signal?: AbortSignal): Promise<Taxonomy> {
  return normalizeTaxonomy(await unwrap(api.GET("/api/taxonomy", { signal })));
}

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
