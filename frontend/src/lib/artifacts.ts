import { api, unwrap } from "../api/client";
import type { Artifacts } from "../api/types";

/** A job's frames, speech lines and logos. Shared because two features read it: the job page
 *  shows all of it, the overview uses the first frame as the job's poster. */
export function fetchArtifacts(id: string, signal?: AbortSignal): Promise<Artifacts> {
  return unwrap(api.GET("/jobs/{job_id}/artifacts", { params: { path: { job_id: id } }, signal }));
}
