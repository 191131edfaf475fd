import { useState, type FormEvent } from "react";
import { ErrorBanner, Empty, Loading, ProgressBar, Section, StatusBadge } from "../../../components/ui";
import { usePolling } from "../../../lib/usePolling";
import { describeProgress, fetchBatches, resultsUrl, startBatch, type Batch } from "../api/batches";

function Downloads({ batch }: { batch: Batch }) {
  const parquet = resultsUrl(batch, "parquet");
  const csv = resultsUrl(batch, "csv");
  if (!parquet && !csv) return <span className="muted">when done</span>;
  return (
    <>
      {parquet && (
        <a href={parquet} download>
          Parquet
        </a>
      )}{" "}
      {csv && (
        <a href={csv} download>
          CSV
        </a>
      )}
    </>
  );
}

function BatchRow({ batch }: { batch: Batch }) {
  const p = batch.progress;
  const nodes = Object.entries(p.nodes ?? {})
    .map(([n, c]) => `${n}: ${c}`)
    .join(", ");
  return (
    <tr data-testid="batch-row">
      <td>
        <code title={batch.batch_id}>{batch.batch_id}</code>
        {batch.source && <div className="muted">{batch.source}</div>}
      </td>
      <td>
        <StatusBadge status={batch.status} />
        {batch.error && <div className="muted">{batch.error}</div>}
      </td>
      <td>
        <ProgressBar value={p.percent ?? 0} label={`Batch ${batch.batch_id} progress`} />
        <div>{describeProgress(p)}</div>
        {nodes && <div className="muted">{nodes}</div>}
      </td>
      <td>
        <Downloads batch={batch} />
      </td>
    </tr>
  );
}

export function BatchesPage() {
  const list = usePolling(fetchBatches, 2000, []);
  const [source, setSource] = useState("");
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSubmitError(null);
    try {
      await startBatch(source.trim());
      setSource("");
      list.refresh();
    } catch (err) {
      setSubmitError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const batches = list.data ?? [];
  return (
    <div className="page">
      <h1>Batches</h1>
      <p className="muted">
        A whole archive on Ray Data: a server folder, a manifest of paths or URLs, or a glob. The same source again resumes
        its batch.
      </p>
      <form className="submit-form" onSubmit={(e) => void submit(e)} aria-label="Start a batch">
        <label htmlFor="batch-source">Server folder, manifest or glob</label>
        <input
          id="batch-source"
          value={source}
          placeholder="/srv/ads/archive"
          onChange={(e) => setSource(e.target.value)}
          required
        />
        <button type="submit" className="btn" disabled={busy || !source.trim()}>
          Start batch
        </button>
      </form>
      <ErrorBanner message={submitError} />
      <Section title="Runs" id="batches">
        <ErrorBanner message={list.error} onRetry={list.refresh} />
        {!list.data && !list.error ? (
          <Loading />
        ) : batches.length === 0 ? (
          <Empty>No batch yet.</Empty>
        ) : (
          <div className="table-wrap">
          <table className="jobs-table" data-testid="batches-table">
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Results</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <BatchRow key={b.batch_id} batch={b} />
              ))}
            </tbody>
          </table>
          </div>
        )}
      </Section>
    </div>
  );
}
