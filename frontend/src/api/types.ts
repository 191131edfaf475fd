import { displayText } from "../lib/format";
import type { paths } from "./schema";

// Types are taken from paths, not from component names, so a renamed schema class on the
// server does not break the dashboard as long as the wire shape stays the same.
type Json200<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer T } };
}
  ? T
  : never;

export type Job = Json200<"/jobs/{job_id}", "get">;
export type JobResult = Json200<"/jobs/{job_id}/result", "get">;
export type Artifacts = Json200<"/jobs/{job_id}/artifacts", "get">;
export type Frame = NonNullable<Artifacts["frames"]>[number];
export type SpeechLine = NonNullable<Artifacts["speech_lines"]>[number];
export type Logo = NonNullable<Artifacts["logos"]>[number];
export type Explanation = Json200<"/jobs/{job_id}/explanation", "get">;
/** How the brand was decided: the sources that named it, disagreements, refused readings. */
export type BrandEvidence = NonNullable<Explanation["brand"]>;
export type BrandSource = NonNullable<BrandEvidence["sources"]>[number];
/** One recorded try of the pipeline. The API types attempts loosely (free-form dicts), so the
 *  dashboard reads them through `toAttempt`. */
export type Attempt = {
  type: string;
  trigger?: string | null;
  frames?: string[];
  ocr_excerpt?: string | null;
  result?: Record<string, unknown> | null;
  accepted: boolean;
  reason?: string | null;
};

export function toAttempt(raw: unknown): Attempt {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (v == null ? null : displayText(v));
  return {
    type: str(o.type) ?? "attempt",
    trigger: str(o.trigger),
    frames: Array.isArray(o.frames) ? o.frames.map((f) => (typeof f === "string" ? f : JSON.stringify(f))) : [],
    ocr_excerpt: str(o.ocr_excerpt),
    result: o.result && typeof o.result === "object" ? (o.result as Record<string, unknown>) : null,
    accepted: Boolean(o.accepted),
    reason: str(o.reason),
  };
}
/** Our structured events (the original's "<ts> <stage>: <detail>" lines are under `events`). */
export type JobEvents = Json200<"/jobs/{job_id}/events", "get">["entries"];
/** /cluster/nodes answers the original's map; our node views are under `node_views`. */
export type ClusterNode = Json200<"/cluster/nodes", "get">["node_views"][number];
/** /cluster/jobs answers the original's bare array; the page comes from its headers. */
export type ClusterJobs = {
  jobs: Json200<"/cluster/jobs", "get">;
  total: number;
  limit: number;
  offset: number;
  unavailable_nodes: { node: string; reason: string }[];
};
export type Metrics = Json200<"/metrics", "get">;
export type Submitted = Json200<"/jobs/by-filepath", "post">;
export type UrlsRequest = JsonBody<"/jobs/by-urls", "post">;
export type JobSettings = NonNullable<UrlsRequest["settings"]>;
export type JobMode = NonNullable<UrlsRequest["mode"]>;
