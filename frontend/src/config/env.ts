import { z } from "zod";

// Validated once at start-up so that a malformed VITE_API_BASE_URL fails loudly instead of
// producing requests to odd relative paths.
const EnvSchema = z.object({
  VITE_API_BASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : ""))
    .refine((v) => v === "" || /^https?:\/\/[^/\s]+(\/\S*)?$/.test(v), {
      message: "VITE_API_BASE_URL must be empty (same origin) or an http(s) URL",
    }),
});

export type AppEnv = { apiBaseUrl: string };

export function parseEnv(raw: Record<string, unknown>): AppEnv {
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid dashboard configuration: ${issues}`);
  }
  return { apiBaseUrl: parsed.data.VITE_API_BASE_URL };
}

export const env: AppEnv = parseEnv(import.meta.env as Record<string, unknown>);
