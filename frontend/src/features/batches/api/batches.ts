import { api, apiUrl, unwrap } from "../../../api/client";
import type { paths } from "../../../api/schema";

type Json200<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;

/** One batch run as GET /batches lists it (status, progress, result downloads). */
export type Batch = Json200<"/batches/{batch_id}", "get">;
export type BatchProgress = Batch["progress"];

export async function fetchBatches(signal?: AbortSignal): Promise<Batch[]> {
  return unwrap(api.GET("/batches", { signal }));
}

/** Start (or resume: the same source again skips what is done) a batch on a server path. */
export async function startBatch(source: string): Promise<Batch> {
  return unwrap(api.POST("/batches", { body: { source } }));
}

/** The browser downloads results itself, so a token (if any) travels in the query. */
export function resultsUrl(batch: Batch, format: "parquet" | "csv"): string | null {
  const path = batch.results?.[format];
  return path ? apiUrl(path, { tokenInQuery: true }) : null;
}

export function describeProgress(p: BatchProgress): string {
  const eta = p.eta_seconds;
  const etaText = eta == null ? "-" : eta >= 60 ? `${Math.floor(eta / 60)} min ${Math.round(eta % 60)} s` : `${Math.round(eta)} s`;
  return `${p.completed ?? 0}/${p.total ?? 0} · ${(p.ads_per_minute ?? 0).toFixed(1)} ads/min · ETA ${etaText} · ${p.failed ?? 0} failed`;
}
