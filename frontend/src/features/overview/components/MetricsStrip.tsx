import type { Metrics } from "../../../api/types";
import { formatDuration } from "../../../lib/format";

// /metrics is a flat JSON object of counters; show the numeric ones with readable labels.
function label(key: string): string {
  return key
    .replace(/_seconds$/, "")
    .replace(/_/g, " ")
    .replace(/^\w/, (c) => c.toUpperCase());
}

function flatten(metrics: unknown, prefix = ""): [string, number][] {
  if (!metrics || typeof metrics !== "object") return [];
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(metrics as Record<string, unknown>)) {
    const key = prefix ? `${prefix} ${k}` : k;
    if (typeof v === "number") out.push([key, v]);
    else if (v && typeof v === "object" && !Array.isArray(v) && prefix === "") out.push(...flatten(v, k));
  }
  return out;
}

export function MetricsStrip({ metrics }: { metrics: Metrics | undefined }) {
  const entries = flatten(metrics).slice(0, 12);
  if (entries.length === 0) return <p className="muted">No counters yet.</p>;
  return (
    <dl className="metrics" data-testid="metrics">
      {entries.map(([k, v]) => (
        <div key={k} className="metric">
          <dt>{label(k)}</dt>
          <dd>{/seconds/.test(k) ? formatDuration(v) : Number.isInteger(v) ? v : v.toFixed(2)}</dd>
        </div>
      ))}
    </dl>
  );
}
