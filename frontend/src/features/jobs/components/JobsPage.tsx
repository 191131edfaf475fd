import { useState } from "react";
import { Section } from "../../../components/ui";
import { QueueTable } from "./QueueTable";
import { SubmitPanel } from "./SubmitPanel";

export function JobsPage() {
  // Bumped after a submission so the queue reloads at once instead of at the next poll.
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <div className="page">
      <h1>Jobs</h1>
      <Section title="Submit" id="submit">
        <SubmitPanel onSubmitted={() => setRefreshKey((k) => k + 1)} />
      </Section>
      <Section title="Queue" id="queue">
        <QueueTable refreshKey={refreshKey} />
      </Section>
    </div>
  );
}
