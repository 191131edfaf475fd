import { ErrorBanner, Loading, Section } from "../../../components/ui";
import { formatDuration } from "../../../lib/format";
import { usePolling } from "../../../lib/usePolling";
import { fetchAnalytics } from "../api/analytics";
import { BarList, type Bar } from "./BarList";
import { TimeChart, type Point } from "./TimeChart";

function bars(list: { name: string; count: number }[] | undefined): Bar[] {
  return (list ?? []).map((c) => ({ label: c.name || "(none)", value: c.count }));
}

export function AnalyticsPage() {
  const a = usePolling(fetchAnalytics, 15000, []);
  const d = a.data;
  return (
    <div className="page">
      <h1>Analytics</h1>
      <ErrorBanner message={a.error} onRetry={a.refresh} />
      {!d ? (
        !a.error && <Loading />
      ) : (
        <>
          <dl className="metrics">
            <div className="metric">
              <dt>Total jobs</dt>
              <dd>{d.total}</dd>
            </div>
            <div className="metric">
              <dt>Completed</dt>
              <dd>{d.completed}</dd>
            </div>
            <div className="metric">
              <dt>Failed</dt>
              <dd>{d.failed}</dd>
            </div>
            <div className="metric">
              <dt>Duration p50</dt>
              <dd>{formatDuration(d.duration_p50)}</dd>
            </div>
            <div className="metric">
              <dt>Duration p95</dt>
              <dd>{formatDuration(d.duration_p95)}</dd>
            </div>
          </dl>
          <Section title="Jobs over time" id="over-time">
            <TimeChart points={d.jobs_over_time as Point[]} />
          </Section>
          <div className="detail-grid">
            <Section title="Top brands" id="brands">
              <BarList bars={bars(d.top_brands)} />
            </Section>
            <Section title="Top categories" id="categories">
              <BarList bars={bars(d.top_categories)} />
            </Section>
          </div>
          <Section title="Failures by reason" id="failures">
            <BarList bars={bars(d.failures_by_reason)} />
          </Section>
        </>
      )}
    </div>
  );
}
