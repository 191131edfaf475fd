import type { Job } from "../../../api/types";
import { ProgressBar, StatusBadge } from "../../../components/ui";
import { formatTime } from "../../../lib/format";
import { Link } from "../../../lib/router";

const ACTIVE = new Set(["queued", "re-queued", "processing"]);

/** The newest jobs of every status, so staff see work arrive and move without opening Jobs. */
export function ActivityFeed({ jobs }: { jobs: Job[] }) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <ul className="feed" data-testid="activity">
      {jobs.map((j) => (
        <li key={j.job_id}>
          <span className="feed-name">
            <Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.original_name || j.url || j.job_id}</Link>{" "}
            <span className="muted small">
              {j.brand ? `${j.brand} · ` : ""}
              {ACTIVE.has(j.status) ? j.stage.replace(/_/g, " ") : formatTime(j.updated_at)}
            </span>
          </span>
          <StatusBadge status={j.status} />
          {ACTIVE.has(j.status) && <ProgressBar value={j.progress ?? 0} label={`Progress of ${j.job_id}`} />}
        </li>
      ))}
    </ul>
  );
}
