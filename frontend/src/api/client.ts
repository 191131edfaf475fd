import createClient, { type Middleware } from "openapi-fetch";
import { env } from "../config/env";
import { authHeaders, getToken, requireAuth } from "./auth";
import type { paths } from "./schema";

const authMiddleware: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders())) request.headers.set(k, v);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) requireAuth();
    return response;
  },
};

/** Same origin, and the same path prefix the page was served from: the API may be mounted under
 *  a prefix (Serve route_prefix "/secure" serves the dashboard at "/secure/"). */
export function pageBase(loc: Pick<Location, "origin" | "pathname"> = window.location): string {
  return `${loc.origin}${loc.pathname.replace(/\/[^/]*$/, "")}`;
}

let baseUrl = env.apiBaseUrl || pageBase();

function makeClient(base: string) {
  const client = createClient<paths>({ baseUrl: base });
  client.use(authMiddleware);
  return client;
}

// `let` so tests can point the dashboard at their own local server; importers see the live
// binding (ES modules), so they always use the current client.
export let api = makeClient(baseUrl);

export function setApiBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, "");
  api = makeClient(baseUrl);
}

/** Absolute URL for things the browser fetches itself (img, video, EventSource, downloads). */
export function apiUrl(path: string, opts: { tokenInQuery?: boolean } = {}): string {
  // Artifact URLs may already be absolute (the API builds them from its own base).
  const url = /^https?:\/\//.test(path) ? path : `${baseUrl}${path}`;
  const token = getToken();
  if (opts.tokenInQuery && token) {
    return `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
  }
  return url;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** FastAPI errors come as {detail: string | [{msg, loc}]}; turn them into one readable line. */
export function errorMessage(error: unknown, status?: number): string {
  if (error && typeof error === "object" && "detail" in error) {
    const detail = error.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d: { msg?: string; loc?: unknown[] }) =>
          [d.loc?.slice(1).join("."), d.msg].filter(Boolean).join(": "),
        )
        .join("; ");
    }
  }
  if (error instanceof Error) return error.message;
  return status ? `HTTP ${status}` : "Request failed";
}

/** A listing answered as a bare array with its page in the headers (X-Total-Count, X-Limit,
 *  X-Offset, X-Unavailable-Nodes), as one object. */
export async function unwrapPage<T>(
  p: Promise<{ data?: T[]; error?: unknown; response: Response }>,
): Promise<{ jobs: T[]; total: number; limit: number; offset: number; unavailable_nodes: { node: string; reason: string }[] }> {
  const result = await p;
  const jobs = await unwrap(Promise.resolve(result));
  const h = result.response.headers;
  const num = (name: string, fallback: number) => {
    const v = Number(h.get(name));
    return h.get(name) !== null && Number.isFinite(v) ? v : fallback;
  };
  let unavailable: { node: string; reason: string }[] = [];
  try {
    const parsed: unknown = JSON.parse(h.get("x-unavailable-nodes") ?? "[]");
    if (Array.isArray(parsed)) unavailable = parsed as { node: string; reason: string }[];
  } catch {
    unavailable = [];
  }
  return {
    jobs,
    total: num("x-total-count", jobs.length),
    limit: num("x-limit", jobs.length),
    offset: num("x-offset", 0),
    unavailable_nodes: unavailable,
  };
}

/** Unwrap an openapi-fetch result: data or a thrown ApiError with the server's message. */
export async function unwrap<T>(
  p: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok || error !== undefined) {
    throw new ApiError(errorMessage(error, response.status), response.status);
  }
  return data as T;
}
