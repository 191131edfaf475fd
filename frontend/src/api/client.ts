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
