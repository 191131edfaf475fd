import type { Job } from "../../../api/types";
import { categoryPath, formatPercent } from "../../../lib/format";

export function VerdictBar({ job }: { job: Job }) {
  const conf = job.confidence ?? null;
  const level = conf === null ? "none" : conf >= 0.7 ? "high" : conf >= 0.4 ? "mid" : "low";
  return (
    <div className="verdict" data-testid="verdict">
      <div className="verdict-item">
        <span className="verdict-label">Brand</span>
        {/* A finished job without a brand says so; "Why this brand" below gives the reason. */}
        <strong className={`verdict-brand${job.brand ? "" : " verdict-brand-unknown"}`} data-testid="verdict-brand">
          {job.brand || (job.status === "completed" || job.status === "failed" ? "Unknown brand" : "—")}
        </strong>
      </div>
      <div className="verdict-item verdict-category">
        <span className="verdict-label">Category</span>
        <span data-testid="verdict-category">{categoryPath(job)}</span>
        {job.category_id && <span className="muted small"> (IAB {job.category_id})</span>}
      </div>
      <div className="verdict-item">
        <span className="verdict-label">Confidence</span>
        <span className={`confidence confidence-${level}`}>
          <meter min={0} max={1} low={0.4} high={0.7} optimum={1} value={conf ?? 0} aria-label="Confidence" />
          <span>{formatPercent(conf)}</span>
        </span>
      </div>
    </div>
  );
}
