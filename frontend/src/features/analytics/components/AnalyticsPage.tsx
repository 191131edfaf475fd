import { ErrorBanner, Loading, Section } from "../../../components/ui";
import { formatDuration } from "../../../lib/format";
import { usePolling } from "../../../lib/usePolling";
import { fetchAnalytics, fillHours } from "../api/analytics";
import { BarList, type Bar } from "./BarList";
import { TimeChart } from "./TimeChart";

function bars(list: { name: string; count: number; industry?: string }[]): Bar[] {
  return list.map((c) => ({ label: c.name, title: c.industry ? `${c.industry} › ${c.name}` : c.name, value: c.count }));
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
          {d.unavailableNodes.length > 0 && (
            <p className="banner banner-warn" role="status">
              Not counted: unreachable node{d.unavailableNodes.length === 1 ? "" : "s"} {d.unavailableNodes.join(", ")}.
            </p>
          )}
          <dl className="metrics" data-testid="analytics-counters">
            <div className="metric">
              <dt>Total jobs</dt>
              <dd>{d.total}</dd>
            </div>
            <div className="metric">
              <dt>Completed</dt>
              <dd>{d.counts.completed ?? 0}</dd>
            </div>
            <div className="metric">
              <dt>Failed</dt>
              <dd>{d.counts.failed ?? 0}</dd>
            </div>
            <div className="metric">
              <dt>Duration p50</dt>
              <dd>{formatDuration(d.durations.p50)}</dd>
            </div>
            <div className="metric">
              <dt>Duration p95</dt>
              <dd>{formatDuration(d.durations.p95)}</dd>
            </div>
          </dl>
          <Section title="Jobs over time (last 24 hours)" id="over-time">
            <TimeChart points={fillHours(d.perHour)} />
          </Section>
          <div className="detail-grid">
            <Section title="Top brands" id="brands">
              <BarList bars={bars(d.topBrands)} />
            </Section>
            <Section title="Top categories" id="categories">
              <BarList bars={bars(d.topCategories)} />
            </Section>
            <Section title="Top industries" id="industries">
              <BarList bars={bars(d.topIndustries)} />
            </Section>
            <Section title="Failures by reason" id="failures">
              <BarList bars={bars(d.failures)} />
            </Section>
          </div>
        </>
      )}
    </div>
  );
}
