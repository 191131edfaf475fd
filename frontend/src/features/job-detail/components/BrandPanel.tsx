import type { BrandEvidence, Job } from "../../../api/types";
import { describeSource, formatScore, unknownBrandReason } from "./evidence";

const CATEGORY_SOURCE: Record<string, string> = {
  catalogue: "the brand catalogue (the category filed for this brand)",
  copy: "the ad's copy (on-screen text and speech)",
};

/**
 * "Why this brand": the sources that named the brand, a warning when sources named different
 * brands, the readings refused as brands, and where the category came from. A job without a
 * brand says so with the reason instead of showing a blank.
 */
export function BrandPanel({
  job,
  evidence,
  reasoning,
  notes,
  final,
  loading = false,
}: {
  job: Pick<Job, "brand" | "status" | "error">;
  evidence?: BrandEvidence | null;
  reasoning?: string | null;
  notes?: { speech?: string; logos?: string };
  final: boolean;
  loading?: boolean;
}) {
  if (!final) return <p className="muted">Available when the job finishes.</p>;
  if (loading) return <p className="muted">Loading…</p>;
  const brand = (job.brand ?? "").trim();
  const sources = evidence?.sources ?? [];
  const rejected = evidence?.rejected ?? [];
  const categorySource = evidence?.category_source ?? null;
  return (
    <div className="brand-evidence" data-testid="brand-evidence">
      {brand ? (
        <p className="brand-decided">
          <strong>{brand}</strong>
          {evidence?.catalogue_brand && (
            <span className="muted small"> · in the brand catalogue as {evidence.catalogue_brand}</span>
          )}
        </p>
      ) : (
        <p className="brand-decided" data-testid="unknown-brand">
          <strong>Unknown brand</strong>
          <span>: {unknownBrandReason(job, reasoning, notes)}.</span>
        </p>
      )}

      {sources.length > 0 ? (
        <>
          <h3>Named by</h3>
          <ul className="brand-sources" data-testid="brand-sources">
            {sources.map((s, i) => (
              <li key={`${s.source}-${i}`}>
                <span>{describeSource(s)}</span>{" "}
                <span className="mono muted" title="How strongly this source names the brand">
                  {formatScore(s.score)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        brand && <p className="muted small">No per-source evidence was recorded for this brand.</p>
      )}

      {evidence?.disagreement && (
        <p className="banner banner-warn brand-disagreement" data-testid="brand-disagreement">
          <span aria-hidden="true">⚠</span>
          <span>
            <span className="sr-only">Warning: </span>
            {evidence.disagreement}
          </span>
        </p>
      )}

      {rejected.length > 0 && (
        <>
          <h3>Not taken as the brand</h3>
          <ul className="brand-rejected" data-testid="brand-rejected">
            {rejected.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </>
      )}

      {categorySource && (
        <p className="small" data-testid="category-source">
          <span className="muted">Category from </span>
          {CATEGORY_SOURCE[categorySource] ?? categorySource}
        </p>
      )}
    </div>
  );
}
