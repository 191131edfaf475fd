import type { JobResult } from "../../../api/types";
import { displayText } from "../../../lib/format";

type Candidate = { id: string; name: string; path: string; score: number | null };

function toCandidate(raw: unknown): Candidate | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  if (o.id == null && o.name == null) return null;
  const path = Array.isArray(o.path) ? o.path.map(String).join(" › ") : displayText(o.path);
  return {
    id: displayText(o.id),
    name: displayText(o.name),
    path,
    score: typeof o.score === "number" ? o.score : null,
  };
}

/** How the free-text category became a taxonomy leaf: method, score, and the runners-up. */
export function MappingPanel({
  result,
  top,
  timings,
}: {
  result?: JobResult;
  top: unknown[];
  timings?: Record<string, number>;
}) {
  const candidates = top.map(toCandidate).filter((c): c is Candidate => c !== null);
  const stageTimes = Object.entries(timings ?? {}).filter(([, v]) => typeof v === "number");
  const r = (result ?? {}) as Record<string, unknown>;
  return (
    <div className="mapping" data-testid="mapping">
      {result && (
        <dl className="kv">
          <div>
            <dt>Model said</dt>
            <dd>{displayText(r.raw_category, "—")}</dd>
          </div>
          <div>
            <dt>Method</dt>
            <dd>{displayText(r.mapper_method, "—")}</dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd>{typeof r.mapper_score === "number" ? r.mapper_score.toFixed(3) : "—"}</dd>
          </div>
          <div>
            <dt>Provider</dt>
            <dd>{[r.provider, r.model].filter(Boolean).map(String).join(" · ") || "—"}</dd>
          </div>
        </dl>
      )}
      {candidates.length > 0 && (
        <div className="table-wrap">
          <table className="candidates">
            <caption className="small muted">Taxonomy candidates</caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">ID</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c) => (
                <tr key={`${c.id}-${c.name}`}>
                  <td>{c.path || c.name}</td>
                  <td className="mono small">{c.id}</td>
                  <td>{c.score === null ? "—" : c.score.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {stageTimes.length > 0 && (
        <p className="small muted" data-testid="timings">
          Time per stage:{" "}
          {stageTimes.map(([k, v], i) => (
            <span key={k}>
              {i > 0 && " · "}
              {k.replace(/_/g, " ")} {v.toFixed(2)} s
            </span>
          ))}
        </p>
      )}
      {!result && candidates.length === 0 && stageTimes.length === 0 && <p className="muted">No mapping yet.</p>}
    </div>
  );
}
