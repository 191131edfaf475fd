import { api, unwrap } from "../../../api/client";
import type { Analytics } from "../../../api/types";

export function fetchAnalytics(signal?: AbortSignal): Promise<Analytics> {
  return unwrap(api.GET("/cluster/analytics", { signal }));
}
