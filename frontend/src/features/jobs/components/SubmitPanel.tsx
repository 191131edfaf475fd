import { useId, useState, type FormEvent } from "react";
import type { Submitted } from "../../../api/types";
import { Tabs, type TabItem } from "../../../components/Tabs";
import { Link } from "../../../lib/router";
import { autoPriority, submitFilePath, submitFolder, submitUrls, type Priority, type SubmitInput } from "../api/jobs";
import { DEFAULT_SETTINGS, SettingsFields, toJobSettings, type FormSettings } from "./SettingsFields";
import { UploadDrop } from "./UploadDrop";

type Tab = "urls" | "file" | "folder" | "upload";
const TABS: readonly TabItem<Tab>[] = [
  { key: "urls", label: "URLs" },
  { key: "file", label: "Server file" },
  { key: "folder", label: "Server folder" },
  { key: "upload", label: "Upload" },
];

const SETTINGS_KEY = "adclf.submitSettings";

function loadSettings(): FormSettings {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    return raw ? { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<FormSettings>) } : DEFAULT_SETTINGS;
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function parseUrls(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

export function SubmitPanel({ onSubmitted }: { onSubmitted: () => void }) {
  const id = useId();
  const [tab, setTab] = useState<Tab>("urls");
  const [priority, setPriority] = useState<Priority | "auto">("auto");
  const [settings, setSettingsState] = useState<FormSettings>(loadSettings);
  const [urls, setUrls] = useState("");
  const [filePath, setFilePath] = useState("");
  const [folder, setFolder] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<Submitted[]>([]);

  const setSettings = (s: FormSettings) => {
    setSettingsState(s);
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
    } catch {
      /* private mode: settings just are not remembered */
    }
  };
  const input = (count: number | "batch"): SubmitInput => ({
    mode: settings.mode,
    settings: toJobSettings(settings),
    priority: priority === "auto" ? autoPriority(count) : priority,
  });

  const done = (jobs: Submitted[]) => {
    setSubmitted(jobs);
    onSubmitted();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSubmitted([]);
    setBusy(true);
    try {
      if (tab === "urls") {
        const list = parseUrls(urls);
        if (list.length === 0) throw new Error("Enter at least one URL, one per line.");
        done(await submitUrls(list, input(list.length)));
        setUrls("");
      } else if (tab === "file") {
        if (!filePath.trim()) throw new Error("Enter a file path on the server.");
        done(await submitFilePath(filePath.trim(), input(1)));
      } else if (tab === "folder") {
        if (!folder.trim()) throw new Error("Enter a folder path on the server.");
        done(await submitFolder(folder.trim(), input("batch")));
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="submit">
      <Tabs
        items={TABS}
        selected={tab}
        onSelect={(key) => {
          setTab(key);
          setError(null);
        }}
        label="Submit jobs by"
        idPrefix="submit-tab"
        controls="submit-panel"
      />
      <div id="submit-panel" role="tabpanel" aria-labelledby={`submit-tab-${tab}`}>
        {tab === "upload" ? (
          <UploadDrop getInput={input} onSubmitted={done} />
        ) : (
          <form onSubmit={(e) => void submit(e)} className="submit-form">
            {tab === "urls" && (
              <div className="field">
                <label htmlFor="submit-urls">Video URLs, one per line</label>
                <textarea
                  id="submit-urls"
                  rows={4}
                  value={urls}
                  onChange={(e) => setUrls(e.target.value)}
                  placeholder="https://cdn.example.com/ads/spot.mp4"
                />
              </div>
            )}
            {tab === "file" && (
              <div className="field">
                <label htmlFor="submit-file">File path on the server</label>
                <input
                  id="submit-file"
                  value={filePath}
                  onChange={(e) => setFilePath(e.target.value)}
                  placeholder="/srv/ads/spot.mp4"
                  spellCheck={false}
                />
              </div>
            )}
            {tab === "folder" && (
              <div className="field">
                <label htmlFor="submit-folder">Folder on the server (all videos inside)</label>
                <input
                  id="submit-folder"
                  value={folder}
                  onChange={(e) => setFolder(e.target.value)}
                  placeholder="/srv/ads/batch-12"
                  spellCheck={false}
                />
              </div>
            )}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Submitting…" : "Submit"}
            </button>
          </form>
        )}
        <div className="field">
          <label htmlFor={`${id}-priority`}>Priority</label>
          <select id={`${id}-priority`} value={priority} onChange={(e) => setPriority(e.target.value as Priority | "auto")}>
            <option value="auto">Automatic (one video high, a batch normal)</option>
            <option value="high">High</option>
            <option value="normal">Normal</option>
            <option value="low">Low</option>
          </select>
        </div>
        <SettingsFields value={settings} onChange={setSettings} />
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {submitted.length > 0 && (
        <div className="banner banner-ok" role="status" data-testid="submitted">
          Submitted {submitted.length} job{submitted.length === 1 ? "" : "s"}:{" "}
          {submitted.slice(0, 5).map((s, i) => (
            <span key={s.job_id}>
              {i > 0 && ", "}
              <Link to={`/jobs/${encodeURIComponent(s.job_id)}`}>{s.job_id}</Link>
            </span>
          ))}
          {submitted.length > 5 && ` and ${submitted.length - 5} more`}
        </div>
      )}
    </div>
  );
}
