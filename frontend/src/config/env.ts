// Validated once at start-up so that a malformed VITE_API_BASE_URL fails loudly instead of
// producing requests to odd relative paths. One variable does not justify a schema library.

export type AppEnv = { apiBaseUrl: string };

const HTTP_URL = /^https?:\/\/[^/\s]+(\/\S*)?$/;

export function parseEnv(raw: Record<string, unknown>): AppEnv {
  const value = raw.VITE_API_BASE_URL;
  if (value !== undefined && typeof value !== "string") {
    throw new Error("Invalid dashboard configuration: VITE_API_BASE_URL must be a string");
  }
  const base = (value ?? "").trim().replace(/\/+$/, "");
  if (base !== "" && !HTTP_URL.test(base)) {
    throw new Error(
      `Invalid dashboard configuration: VITE_API_BASE_URL must be empty (same origin) or an http(s) URL, got "${base}"`,
    );
  }
  return { apiBaseUrl: base };
}

export const env: AppEnv = parseEnv(import.meta.env);
