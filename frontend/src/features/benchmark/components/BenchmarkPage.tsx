import { useState } from "react";
import { ErrorBanner, Loading, Section, StatusBadge } from "../../../components/ui";
import { formatDuration } from "../../../lib/format";
import { usePolling } from "../../../lib/usePolling";
import {
  AXES,
  exportUrl,
  fetchResults,
  fetchSuites,
  fetchTruthSets,
  importCsv,
  jobCount,
  pct,
  startSuite,
  uploadTruth,
  type Matrix,
} from "../api/benchmark";
import { AccuracyChart } from "./AccuracyChart";
import "./benchmark.css";

const DEFAULT_MATRIX: Matrix = { providers: ["embedded"], scan_modes: ["Tail Only", "Full Video"], ocr_engines: ["rapidocr"], ocr_modes: ["Fast"] };

function ImportForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [csv, setCsv] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="bench-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        importCsv(name, csv)
          .then(() => {
            setName("");
            setCsv("");
            onDone();
          })
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        CSV file{" "}
        <input type="file" accept=".csv,text/csv"
          onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
      </label>
      <label>
        or CSV text (video, expected_brand, expected_category, expected_ocr_text)
        <textarea rows={4} value={csv} onChange={(e) => setCsv(e.target.value)} />
      </label>
      <ErrorBanner message={error} />
      <button type="submit" disabled={busy || !name || !csv}>Import truth set</button>
    </form>
  );
}

function UploadForm({ setId, onDone }: { setId: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [brand, setBrand] = useState("");
  const [category, setCategory] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="bench-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!file) return;
        setBusy(true);
        setError(null);
        uploadTruth(setId || "uploads", { file, expected_brand: brand, expected_category: category, set_name: setId ? undefined : "Uploads" })
          .then(() => {
            setBrand("");
            setCategory("");
            onDone();
          })
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <label>
        Video <input type="file" accept="video/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label>
        Expected brand <input value={brand} onChange={(e) => setBrand(e.target.value)} required />
      </label>
      <label>
        Expected category (id or name) <input value={category} onChange={(e) => setCategory(e.target.value)} />
      </label>
      <ErrorBanner message={error} />
      <button type="submit" disabled={busy || !file || !brand}>
        Upload to {setId ? "the chosen set" : "the set “Uploads”"}
      </button>
    </form>
  );
}

function RunForm({ setId, items, onStarted }: { setId: string; items: number; onStarted: (id: string) => void }) {
  const [matrix, setMatrix] = useState<Matrix>(DEFAULT_MATRIX);
  const [error, setError] = useState<string | null>(null);
  const toggle = (key: keyof Matrix, value: string) =>
    setMatrix((m) => ({ ...m, [key]: m[key].includes(value) ? m[key].filter((v) => v !== value) : [...m[key], value] }));
  const jobs = jobCount(matrix, items);
  return (
    <form
      className="bench-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        startSuite(setId, matrix)
          .then((r) => onStarted(r.suite_id))
          .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
      }}
    >
      {AXES.map((axis) => (
        <fieldset key={axis.key}>
          <legend>{axis.label}</legend>
          {axis.options.map((o) => (
            <label key={o} className="check">
              <input type="checkbox" checked={matrix[axis.key].includes(o)} onChange={() => toggle(axis.key, o)} /> {o}
            </label>
          ))}
        </fieldset>
      ))}
      <ErrorBanner message={error} />
      <button type="submit" disabled={jobs === 0}>Run suite ({jobs} jobs, low priority)</button>
    </form>
  );
}

function Results({ suiteId }: { suiteId: string }) {
  const r = usePolling((signal) => fetchResults(suiteId, signal), 5000, [suiteId]);
  if (!r.data) return r.error ? <ErrorBanner message={r.error} onRetry={r.refresh} /> : <Loading />;
  const configs = r.data.configurations;
  return (
    <>
      <p>
        <StatusBadge status={r.data.status} /> Export:{" "}
        <a href={exportUrl(suiteId, "csv")}>CSV</a> · <a href={exportUrl(suiteId, "parquet")}>Parquet</a> ·{" "}
        <a href={exportUrl(suiteId, "csv", "runs")}>runs CSV</a>
      </p>
      <AccuracyChart configs={configs} />
      <div className="table-wrap">
        <table data-testid="bench-table">
          <thead>
            <tr>
              <th>Configuration</th>
              <th>Done</th>
              <th>Brand</th>
              <th>Category</th>
              <th>Tier-1</th>
              <th>Tier-2</th>
              <th>OCR sim.</th>
              <th>p50</th>
              <th>p95</th>
              <th>Conf. right</th>
              <th>Conf. wrong</th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c) => (
              <tr key={c.config_key}>
                <td>{c.config_key}</td>
                <td>{`${c.completed + c.failed}/${c.runs}`}</td>
                <td>{pct(c.brand_accuracy)}</td>
                <td>{pct(c.category_accuracy)}</td>
                <td>{pct(c.tier1_accuracy)}</td>
                <td>{pct(c.tier2_accuracy)}</td>
                <td>{pct(c.ocr_similarity)}</td>
                <td>{c.latency_p50 == null ? "–" : formatDuration(c.latency_p50)}</td>
                <td>{c.latency_p95 == null ? "–" : formatDuration(c.latency_p95)}</td>
                <td>{c.confidence_right == null ? "–" : c.confidence_right.toFixed(2)}</td>
                <td>{c.confidence_wrong == null ? "–" : c.confidence_wrong.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function BenchmarkPage() {
  const sets = usePolling(fetchTruthSets, 0, []);
  const suites = usePolling(fetchSuites, 10000, []);
  const [setId, setSetId] = useState("");
  const [suiteId, setSuiteId] = useState("");
  const chosenSet = sets.data?.find((s) => s.set_id === setId);
  return (
    <div className="page">
      <h1>Benchmark</h1>
      <div className="detail-grid">
        <Section title="Truth sets" id="truth-sets">
          <ErrorBanner message={sets.error} onRetry={sets.refresh} />
          {sets.data && sets.data.length === 0 && <p className="muted">No truth sets yet: import one.</p>}
          <ul className="bench-list">
            {sets.data?.map((s) => (
              <li key={s.set_id}>
                <label>
                  <input type="radio" name="truth-set" checked={s.set_id === setId} onChange={() => setSetId(s.set_id)} />{" "}
                  {s.name} ({s.item_count} videos)
                </label>
              </li>
            ))}
          </ul>
          <h3>Import a CSV</h3>
          <ImportForm onDone={sets.refresh} />
          <h3>Upload a video</h3>
          <UploadForm setId={setId} onDone={sets.refresh} />
        </Section>
        <Section title="Run a suite" id="run-suite">
          {chosenSet ? (
            <RunForm setId={chosenSet.set_id} items={chosenSet.item_count}
              onStarted={(id) => { setSuiteId(id); suites.refresh(); }} />
          ) : (
            <p className="muted">Choose a truth set.</p>
          )}
        </Section>
      </div>
      <Section title="Suites" id="suites">
        <ErrorBanner message={suites.error} onRetry={suites.refresh} />
        <ul className="bench-list">
          {suites.data?.map((s) => (
            <li key={s.suite_id}>
              <button type="button" className="bench-link" aria-pressed={s.suite_id === suiteId} onClick={() => setSuiteId(s.suite_id)}>
                {s.name}
              </button>{" "}
              <StatusBadge status={s.status} /> {s.completed_jobs + s.failed_jobs}/{s.total_jobs} jobs
            </li>
          ))}
        </ul>
      </Section>
      {suiteId && (
        <Section title="Comparison" id="comparison">
          <Results suiteId={suiteId} />
        </Section>
      )}
    </div>
  );
}
