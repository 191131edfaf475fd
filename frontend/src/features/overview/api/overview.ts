import { api, unwrap, unwrapPage } from "../../../api/client";
import type { ClusterJobs, ClusterNode, Metrics } from "../../../api/types";

export async function fetchNodes(signal?: AbortSignal): Promise<ClusterNode[]> {
  return (await unwrap(api.GET("/cluster/nodes", { signal }))).node_views;
}

export function setMaintenance(node: string, enabled: boolean): Promise<unknown> {
  return unwrap(
    api.POST("/cluster/nodes/{node}/maintenance", {
      params: { path: { node } },
      body: { enabled },
    }),
  );
}

export async function fetchMetrics(signal?: AbortSignal): Promise<Metrics> {
  // /metrics also speaks Prometheus text; ask for JSON explicitly.
  return (await unwrap(api.GET("/metrics", { params: { query: { format: "json" } }, signal }))) as Metrics;
}

export function fetchRecent(limit: number, signal?: AbortSignal): Promise<ClusterJobs> {
  return unwrapPage(api.GET("/cluster/jobs", { params: { query: { limit, offset: 0 } }, signal }));
}

export function fetchLatestCompleted(limit: number, signal?: AbortSignal): Promise<ClusterJobs> {
  return unwrapPage(
    api.GET("/cluster/jobs", { params: { query: { status: "completed", limit, offset: 0 } }, signal }),
  );
}
