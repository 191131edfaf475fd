import { useMemo, useState } from "react";
import { ErrorBanner, Loading } from "../../../components/ui";
import { usePolling } from "../../../lib/usePolling";
import { countNodes, fetchTaxonomy, filterTree, type TreeNode } from "../api/taxonomy";

function Highlight({ text, query }: { text: string; query: string }) {
  const q = query.trim().toLowerCase();
  const i = q ? text.toLowerCase().indexOf(q) : -1;
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark>{text.slice(i, i + q.length)}</mark>
      {text.slice(i + q.length)}
    </>
  );
}

function Branch({ node, open, query }: { node: TreeNode; open: boolean; query: string }) {
  const [expanded, setExpanded] = useState(open);
  const kids = node.children ?? [];
  return (
    <li role="treeitem" aria-expanded={kids.length ? expanded : undefined} aria-selected={false}>
      <div className="tree-row">
        {kids.length ? (
          <button
            type="button"
            className="tree-toggle"
            aria-label={`${expanded ? "Collapse" : "Expand"} ${node.name}`}
            onClick={() => setExpanded((e) => !e)}
          >
            {expanded ? "▾" : "▸"}
          </button>
        ) : (
          <span className="tree-toggle" aria-hidden="true" />
        )}
        <span className="tree-name">
          <Highlight text={node.name} query={query} />
        </span>
        <span className="muted small mono">{node.id}</span>
        {kids.length > 0 && <span className="muted small">({kids.length})</span>}
      </div>
      {kids.length > 0 && (expanded) && (
        <ul role="group">
          {kids.map((k) => (
            <Branch key={k.id} node={k} open={open} query={query} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function TaxonomyPage() {
  const tax = usePolling(fetchTaxonomy, 0, []);
  const [query, setQuery] = useState("");
  const roots = useMemo<TreeNode[]>(() => tax.data?.roots ?? [], [tax.data]);
  const shown = useMemo(() => filterTree(roots, query), [roots, query]);
  const searching = query.trim().length > 0;

  return (
    <div className="page">
      <h1>Taxonomy</h1>
      <ErrorBanner message={tax.error} onRetry={tax.refresh} />
      <div className="toolbar">
        <label className="search">
          <span className="sr-only">Search the taxonomy</span>
          <input
            type="search"
            placeholder="Search categories…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <span className="small muted" aria-live="polite">
          {tax.data ? `${countNodes(shown)} of ${countNodes(roots)} categories` : ""}
        </span>
      </div>
      {tax.loading && !tax.data ? (
        <Loading />
      ) : (
        <ul className="tree" role="tree" aria-label={tax.data?.name ?? "Taxonomy"} key={searching ? "search" : "browse"}>
          {shown.map((n) => (
            <Branch key={n.id} node={n} open={searching} query={query} />
          ))}
        </ul>
      )}
    </div>
  );
}
