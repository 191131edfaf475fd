export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return `${Math.round(value * 100)}%`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} min ${s} s`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

export function formatTimestamp(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, "0")}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** "Industry > Parent > Category", skipping levels the mapper did not fill in. */
export function categoryPath(job: {
  industry_name?: string | null;
  parent_category?: string | null;
  category_name?: string | null;
  category?: string | null;
}): string {
  const parts = [job.industry_name, job.parent_category, job.category_name ?? job.category]
    .map((p) => (p ?? "").trim())
    .filter(Boolean);
  // A leaf at tier 1 or 2 repeats its parent's name; show each level once.
  return parts.filter((p, i) => parts.indexOf(p) === i).join(" › ") || "—";
}

export function shortId(id: string): string {
  // Ids are "<node>-<uuid4>"; the node and the first uuid block are enough to tell jobs apart.
  const m = /^(.*?)-([0-9a-f]{8})-[0-9a-f]{4}-/.exec(id);
  return m ? `${m[1]}-${m[2]}` : id;
}

/** Text for a loosely typed JSON value (event logs, attempts, mapper output, taxonomy nodes):
 *  strings as they are, numbers and booleans printed, objects and arrays as JSON rather than
 *  "[object Object]", and `fallback` for null or a missing field. */
export function displayText(value: unknown, fallback = ""): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      return value === null ? fallback : JSON.stringify(value);
    default:
      return fallback;
  }
}
