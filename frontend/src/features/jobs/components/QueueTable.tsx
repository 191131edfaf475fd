import { useEffect, useState } from "react";
import { Tabs } from "../../../components/Tabs";
import { ErrorBanner, ProgressBar, StatusBadge } from "../../../components/ui";
import { categoryPath, formatPercent, formatTime } from "../../../lib/format";
import { Link } from "../../../lib/router";
import { usePolling } from "../../../lib/usePolling";
import { bulkDelete, fetchQueue, type StatusFilter } from "../api/jobs";

// The API maps "running" to processing and "queued" to queued + re-queued.
export const STATUS_TABS: readonly (readonly [string, string, StatusFilter | undefined])[] = [
  ["all", "All", undefined],
  ["running", "Running", "running"],
  ["queued", "Queued", "queued"],
  ["completed", "Completed", "completed"],
  ["failed", "Failed", "failed"],
];

const PAGE_SIZE = 20;

/** unavailable_nodes may list names or {node, message} objects; show the names. */
export function nodeNames(list: unknown[] | null | undefined): string[] {
  return (list ?? []).map((n) =>
    typeof n === "string" ? n : n && typeof n === "object" && "node" in n ? String(n.node) : JSON.stringify(n),
  );
}

export function QueueTable({ refreshKey }: { refreshKey: number }) {
  const [tab, setTab] = useState("all");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(0);
  const [live, setLive] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  // Debounce typing so each keystroke does not fan out to every node.
  useEffect(() => {
    const t = setTimeout(() => {
      setQ(search.trim());
      setPage(0);
    }, 300);
    return () => clearTimeout(t);
  }, [search]);

  const status = STATUS_TABS.find(([k]) => k === tab)?.[2];
  const queue = usePolling(
    (signal) => fetchQueue({ status, q, limit: PAGE_SIZE, offset: page * PAGE_SIZE }, signal),
    live ? 4000 : 0,
    [status, q, page, refreshKey],
  );
  const jobs = queue.data?.jobs ?? [];
  const total = queue.data?.total ?? 0;
  const unavailable = nodeNames(queue.data?.unavailable_nodes);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const allOnPage = jobs.length > 0 && jobs.every((j) => selected.has(j.job_id));

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const j of jobs) {
        if (allOnPage) next.delete(j.job_id);
        else next.add(j.job_id);
      }
      return next;
    });

  const removeSelected = async () => {
    const ids = Array.from(selected);
    if (!window.confirm(`Delete ${ids.length} job${ids.length === 1 ? "" : "s"}? This cannot be undone.`)) return;
    setDeleting(true);
    setActionError(null);
    try {
      // The API takes at most 500 ids per call.
      for (let i = 0; i < ids.length; i += 500) await bulkDelete(ids.slice(i, i + 500));
      setSelected(new Set());
      queue.refresh();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div className="queue">
      <Tabs
        items={STATUS_TABS.map(([key, label]) => ({ key, label }))}
        selected={tab}
        onSelect={(key) => {
          setTab(key);
          setPage(0);
        }}
        label="Filter by status"
        idPrefix="queue-tab"
        controls="queue-table"
      />
      <div className="toolbar">
        <label className="search">
          <span className="sr-only">Search jobs</span>
          <input
            type="search"
            placeholder="Search brand, file, id…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live refresh
        </label>
        <button type="button" className="btn" onClick={queue.refresh}>
          Refresh
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={selected.size === 0 || deleting}
          onClick={() => void removeSelected()}
          data-testid="bulk-delete"
        >
          {deleting ? "Deleting…" : `Delete selected (${selected.size})`}
        </button>
      </div>
      <ErrorBanner message={actionError ?? queue.error} onRetry={queue.error ? queue.refresh : undefined} />
      {unavailable.length > 0 && (
        <p className="banner banner-warn" role="status">
          Not shown: jobs on unreachable node{unavailable.length === 1 ? "" : "s"} {unavailable.join(", ")}.
        </p>
      )}
      <div className="table-wrap" id="queue-table">
        <table className="jobs-table" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label="Select all jobs on this page" checked={allOnPage} onChange={toggleAll} />
              </th>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col">Brand</th>
              <th scope="col">Category</th>
              <th scope="col">Conf.</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.job_id} data-job-id={j.job_id} className={selected.has(j.job_id) ? "row-selected" : undefined}>
                <td className="col-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${j.original_name ?? j.job_id}`}
                    checked={selected.has(j.job_id)}
                    onChange={() => toggle(j.job_id)}
                  />
                </td>
                <td data-label="Job" className="col-job">
                  <Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.original_name || j.url || j.job_id}</Link>
                  <span className="muted small mono">{j.node}</span>
                </td>
                <td data-label="Status">
                  <StatusBadge status={j.status} />
                  {(j.status === "processing" || j.status === "queued" || j.status === "re-queued") && (
                    <>
                      <ProgressBar value={j.progress ?? 0} label={`Progress of ${j.job_id}`} />
                      <span className="muted small">{j.stage.replace(/_/g, " ")}</span>
                    </>
                  )}
                </td>
                <td data-label="Brand">{j.brand || "—"}</td>
                <td data-label="Category" className="col-category">
                  {j.status === "failed" ? <span className="error-text small">{j.error}</span> : categoryPath(j)}
                </td>
                <td data-label="Conf.">{formatPercent(j.confidence)}</td>
                <td data-label="Updated" className="small">
                  {formatTime(j.updated_at)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {jobs.length === 0 && !queue.loading && <p className="empty muted">No jobs{q ? ` matching “${q}”` : ""}.</p>}
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" className="btn" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          ← Previous
        </button>
        <span className="small" aria-live="polite">
          Page {Math.min(page + 1, pages)} of {pages} · {total} job{total === 1 ? "" : "s"}
        </span>
        <button type="button" className="btn" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
          Next →
        </button>
      </nav>
    </div>
  );
}
