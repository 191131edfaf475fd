import { api, unwrap, unwrapPage } from "../../../api/client";
import type { paths } from "../../../api/schema";
import type { ClusterJobs, JobMode, JobSettings, Submitted } from "../../../api/types";

/** Claim order on a node: high before normal before low; within one, submissions take turns. */
export type Priority = "high" | "normal" | "low";
export type SubmitInput = { mode: JobMode; settings: JobSettings; priority?: Priority };

/** The dashboard's default: one video (a URL, a server file, an upload) is high, so it does not
 *  wait behind a batch; a batch (a folder, several URLs or files) is normal. */
export function autoPriority(count: number | "batch"): Priority {
  return count === "batch" || count > 1 ? "normal" : "high";
}

export function submitUrls(urls: string[], input: SubmitInput): Promise<Submitted[]> {
  return unwrap(api.POST("/jobs/by-urls", { body: { ...input, urls } }));
}

export function submitFolder(folder_path: string, input: SubmitInput): Promise<Submitted[]> {
  return unwrap(api.POST("/jobs/by-folder", { body: { ...input, folder_path } }));
}

export async function submitFilePath(file_path: string, input: SubmitInput): Promise<Submitted[]> {
  return [await unwrap(api.POST("/jobs/by-filepath", { body: { ...input, file_path } }))];
}

type QueueParams = NonNullable<NonNullable<paths["/cluster/jobs"]["get"]["parameters"]["query"]>>;
export type StatusFilter = NonNullable<QueueParams["status"]>;
export type QueueQuery = { status?: StatusFilter; q?: string; limit: number; offset: number };

export function fetchQueue(query: QueueQuery, signal?: AbortSignal): Promise<ClusterJobs> {
  const q: QueueQuery = { limit: query.limit, offset: query.offset };
  if (query.status) q.status = query.status;
  if (query.q) q.q = query.q;
  return unwrapPage(api.GET("/cluster/jobs", { params: { query: q }, signal }));
}

export function bulkDelete(job_ids: string[]): Promise<unknown> {
  return unwrap(api.POST("/jobs/bulk-delete", { body: { job_ids } }));
}

/** Model names from /ollama/models; the shape differs between Ollama versions, so accept both
 *  `{models: [{name}]}` and plain lists. An unreachable Ollama is not an error for the form. */
export async function fetchOllamaModels(signal?: AbortSignal): Promise<string[]> {
  const { data, response } = await api.GET("/ollama/models", { signal });
  if (!response.ok || !data) return [];
  return modelNames(data);
}

export function modelNames(data: unknown): string[] {
  const list = Array.isArray(data)
    ? data
    : data && typeof data === "object" && Array.isArray((data as { models?: unknown }).models)
      ? (data as { models: unknown[] }).models
      : [];
  const names = list
    .map((m) =>
      typeof m === "string" ? m : m && typeof m === "object" ? ((m as { name?: string; model?: string }).name ?? (m as { model?: string }).model) : undefined,
    )
    .filter((n): n is string => typeof n === "string" && n.length > 0);
  return Array.from(new Set(names));
}
