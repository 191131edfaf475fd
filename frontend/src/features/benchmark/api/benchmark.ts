import { authHeaders, requireAuth } from "../../../api/auth";
import { ApiError, api, apiUrl, errorMessage, unwrap } from "../../../api/client";
import { displayText } from "../../../lib/format";

export type TruthSet = { set_id: string; name: string; item_count: number; created_at: string | null };
export type Suite = {
  suite_id: string;
  set_id: string;
  name: string;
  status: string;
  total_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  created_at: string | null;
};
export type ConfigResult = {
  config_key: string;
  provider: string;
  scan_mode: string;
  ocr_engine: string;
  ocr_mode: string;
  runs: number;
  completed: number;
  failed: number;
  pending: number;
  brand_accuracy: number | null;
  category_accuracy: number | null;
  tier1_accuracy: number | null;
  tier2_accuracy: number | null;
  ocr_similarity: number | null;
  latency_p50: number | null;
  latency_p95: number | null;
  confidence_right: number | null;
  confidence_wrong: number | null;
};
export type SuiteResults = { suite_id: string; status: string; configurations: ConfigResult[] };
export type Matrix = { providers: string[]; scan_modes: string[]; ocr_engines: string[]; ocr_modes: string[] };

export const AXES: { key: keyof Matrix; label: string; options: string[] }[] = [
  { key: "providers", label: "Provider", options: ["embedded", "ollama", "openai"] },
  { key: "scan_modes", label: "Scan mode", options: ["Tail Only", "Full Video", "Express"] },
  { key: "ocr_engines", label: "OCR engine", options: ["rapidocr", "tesseract"] },
  { key: "ocr_modes", label: "OCR mode", options: ["Fast", "Detailed"] },
];

function list<T>(raw: unknown, key: string): T[] {
  const o = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[key] : undefined;
  return Array.isArray(o) ? (o as T[]) : [];
}

export async function fetchTruthSets(signal?: AbortSignal): Promise<TruthSet[]> {
  return list<TruthSet>(await unwrap(api.GET("/api/benchmark/truth-sets", { signal })), "truth_sets");
}

export async function fetchSuites(signal?: AbortSignal): Promise<Suite[]> {
  return list<Suite>(await unwrap(api.GET("/api/benchmark/suites", { signal })), "suites");
}

export async function fetchResults(suiteId: string, signal?: AbortSignal): Promise<SuiteResults> {
  const raw = await unwrap(
    api.GET("/api/benchmark/suites/{suite_id}/results", { params: { path: { suite_id: suiteId } }, signal }),
  );
  const o = (raw ?? {}) as Record<string, unknown>;
  return {
    suite_id: displayText(o.suite_id ?? suiteId),
    status: displayText(o.status ?? ""),
    configurations: list<ConfigResult>(raw, "configurations"),
  };
}

export async function importCsv(name: string, csv: string): Promise<TruthSet> {
  return (await unwrap(api.POST("/api/benchmark/truth-sets/import", { body: { name, csv } }))) as TruthSet;
}

export async function startSuite(setId: string, matrix: Matrix, name = ""): Promise<{ suite_id: string; jobs_enqueued: number }> {
  const got = await unwrap(api.POST("/api/benchmark/run", { body: { set_id: setId, name, ...matrix } }));
  return got as { suite_id: string; jobs_enqueued: number };
}

export function exportUrl(suiteId: string, format: "csv" | "parquet", table: "configurations" | "runs" = "configurations"): string {
  const q = new URLSearchParams({ format, table });
  return apiUrl(`/api/benchmark/suites/${encodeURIComponent(suiteId)}/export?${q.toString()}`, { tokenInQuery: true });
}

/** "0.75" -> "75%"; a metric nothing counted towards shows as a dash. */
export function pct(value: number | null | undefined): string {
  return value == null ? "–" : `${Math.round(value * 1000) / 10}%`;
}

/** The number of jobs a matrix submits for a set of `items` videos. */
export function jobCount(matrix: Matrix, items: number): number {
  return AXES.reduce((n, a) => n * Math.max(matrix[a.key].length, a.key === "providers" ? 1 : 0), items);
}

export type TruthUpload = { file: File; expected_brand: string; expected_category?: string; expected_ocr_text?: string; set_name?: string };

/** Add an uploaded video with its expected answer to the set `setId` (created when new). XHR, as
 *  the Jobs page's upload: the same multipart encoding in the browser and under jsdom. */
export function uploadTruth(setId: string, t: TruthUpload): Promise<TruthSet> {
  return new Promise<TruthSet>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(`/api/benchmark/truth-sets/${encodeURIComponent(setId)}/upload`));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.responseType = "json";
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.response as TruthSet);
        return;
      }
      if (xhr.status === 401) requireAuth();
      reject(new ApiError(errorMessage(xhr.response, xhr.status), xhr.status));
    });
    xhr.addEventListener("error", () => reject(new ApiError("Network error during upload", 0)));
    const form = new FormData();
    form.append("file", t.file, t.file.name);
    for (const key of ["expected_brand", "expected_category", "expected_ocr_text", "set_name"] as const) {
      const v = t[key];
      if (v) form.append(key, v);
    }
    xhr.send(form);
  });
}
