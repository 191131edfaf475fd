import { ErrorBanner, Empty, Loading, Section } from "../../../components/ui";
import { usePolling } from "../../../lib/usePolling";
import { fetchLatestCompleted, fetchMetrics, fetchNodes, fetchRecent } from "../api/overview";
import { ActivityFeed } from "./ActivityFeed";
import { LatestJobCard } from "./LatestJobCard";
import { MetricsStrip } from "./MetricsStrip";
import { NodeCard } from "./NodeCard";

export function OverviewPage() {
  const nodes = usePolling(fetchNodes, 5000, []);
  const metrics = usePolling(fetchMetrics, 3000, []);
  const latest = usePolling((s) => fetchLatestCompleted(6, s), 5000, []);
  const recent = usePolling((s) => fetchRecent(8, s), 3000, []);

  return (
    <div className="page">
      <h1>Overview</h1>
      <Section title="Nodes" id="nodes">
        <ErrorBanner message={nodes.error} onRetry={nodes.refresh} />
        {nodes.loading && !nodes.data ? (
          <Loading />
        ) : nodes.data && nodes.data.length > 0 ? (
          <div className="grid grid-nodes">
            {nodes.data.map((n) => (
              <NodeCard key={n.node} node={n} onChanged={nodes.refresh} />
            ))}
          </div>
        ) : (
          !nodes.error && <Empty>No nodes reported.</Empty>
        )}
      </Section>
      <Section title="Live counters" id="counters">
        <ErrorBanner message={metrics.error} />
        <MetricsStrip metrics={metrics.data} />
      </Section>
      <Section title="Activity" id="activity">
        <ErrorBanner message={recent.error} />
        {recent.data ? <ActivityFeed jobs={recent.data.jobs} /> : !recent.error && <Loading />}
      </Section>
      <Section title="Latest completed jobs" id="latest">
        <ErrorBanner message={latest.error} />
        {latest.data && latest.data.jobs.length > 0 ? (
          <div className="grid grid-jobs">
            {latest.data.jobs.map((j) => (
              <LatestJobCard key={j.job_id} job={j} />
            ))}
          </div>
        ) : latest.loading && !latest.data ? (
          <Loading />
        ) : (
          <Empty>No completed jobs yet.</Empty>
        )}
      </Section>
    </div>
  );
}
