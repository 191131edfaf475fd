import type { Job } from "../../../api/types";
import { fetchArtifacts } from "../../../lib/artifacts";
import { Link } from "../../../lib/router";
import { categoryPath, formatPercent } from "../../../lib/format";
import { useAuthedMedia } from "../../../lib/useAuthedMedia";
import { usePolling } from "../../../lib/usePolling";

export function LatestJobCard({ job }: { job: Job }) {
  // The poster is the first extracted frame; artifacts are immutable once a job completes.
  const artifacts = usePolling((s) => fetchArtifacts(job.job_id, s), 0, [job.job_id]);
  const first = artifacts.data?.frames?.[0];
  const src = useAuthedMedia(first?.url);
  return (
    <article className="card job-card" data-testid="latest-job">
      <Link to={`/jobs/${encodeURIComponent(job.job_id)}`} className="job-card-link">
        <div className="poster">
          {src ? (
            <img src={src} alt={`First frame of ${job.original_name ?? job.job_id}`} loading="lazy" />
          ) : (
            <span className="poster-empty" aria-hidden="true">
              ▶
            </span>
          )}
        </div>
        <div className="job-card-body">
          <strong className="brand">{job.brand || "Unknown brand"}</strong>
          <span className="muted small">{categoryPath(job)}</span>
          <span className="small">Confidence {formatPercent(job.confidence)}</span>
        </div>
      </Link>
    </article>
  );
}
