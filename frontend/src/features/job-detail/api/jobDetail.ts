import { api, unwrap } from "../../../api/client";
import type { Explanation, Job, JobEvents, JobResult } from "../../../api/types";

const path = (job_id: string) => ({ params: { path: { job_id } } });

export function fetchJob(id: string, signal?: AbortSignal): Promise<Job> {
  return unwrap(api.GET("/jobs/{job_id}", { ...path(id), signal }));
}

export function fetchResult(id: string, signal?: AbortSignal): Promise<JobResult> {
  return unwrap(api.GET("/jobs/{job_id}/result", { ...path(id), signal }));
}

export function fetchExplanation(id: string, signal?: AbortSignal): Promise<Explanation> {
  return unwrap(api.GET("/jobs/{job_id}/explanation", { ...path(id), signal }));
}

/** Our structured events; the original's "<ts> <stage>: <detail>" lines are beside them. */
export async function fetchEvents(id: string, signal?: AbortSignal): Promise<JobEvents> {
  return (await unwrap(api.GET("/jobs/{job_id}/events", { ...path(id), signal }))).entries;
}

export function deleteJob(id: string): Promise<unknown> {
  return unwrap(api.DELETE("/jobs/{job_id}", path(id)));
}
