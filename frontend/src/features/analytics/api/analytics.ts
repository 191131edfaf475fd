import { api, unwrap } from "../../../api/client";
import { displayText } from "../../../lib/format";

/** What the page draws. The API types /cluster/analytics loosely (a merged dict per node), so
 *  the response is read defensively here, in one place. */
export type AnalyticsView = {
  counts: Record<string, number>;
  total: number;
  durations: { n: number; p50: number | null; p95: number | null; mean: number | null };
  perHour: HourBucket[];
  topBrands: { name: string; count: number }[];
  topCategories: { name: string; count: number; industry?: string }[];
  topIndustries: { name: string; count: number }[];
  failures: { name: string; count: number }[];
  unavailableNodes: string[];
};

export type HourBucket = { hour: number | null; t: string; completed: number; failed: number; submitted: number };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function hourLabel(v: unknown): string {
  // Buckets arrive as epoch seconds of the hour's start.
  if (typeof v === "number") {
    return new Date(v * 1000).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  return displayText(v);
}

export function normalizeAnalytics(raw: unknown): AnalyticsView {
  const r = obj(raw);
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(obj(r.counts))) counts[k] = num(v);
  const d = obj(r.durations);
  const perHour: HourBucket[] = arr(r.per_hour)
    .map((h) => ({
      hour: typeof h.hour === "number" ? h.hour : null,
      t: hourLabel(h.hour),
      completed: num(h.completed),
      failed: num(h.failed),
      submitted: num(h.submitted),
    }))
    .sort((a, b) => (a.hour ?? 0) - (b.hour ?? 0));
  const named = (list: unknown, nameKey = "name") =>
    arr(list).map((x) => ({ name: displayText(x[nameKey], "(none)"), count: num(x.count) }));
  return {
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    durations: { n: num(d.n), p50: numOrNull(d.p50), p95: numOrNull(d.p95), mean: numOrNull(d.mean) },
    perHour,
    topBrands: named(r.top_brands),
    topCategories: arr(r.top_categories).map((x) => ({ name: displayText(x.name, "(none)"), count: num(x.count), industry: x.industry == null ? undefined : displayText(x.industry) })),
    topIndustries: named(r.top_industries),
    failures: named(r.failures, "reason"),
    unavailableNodes: Object.entries(obj(r.nodes))
      .filter(([, v]) => obj(v).available === false)
      .map(([k]) => k),
  };
}

export async function fetchAnalytics(signal?: AbortSignal): Promise<AnalyticsView> {
  return normalizeAnalytics(await unwrap(api.GET("/cluster/analytics", { signal })));
}

/** A continuous axis of `hours` hourly slots ending at the newest bucket (or now), so one busy
 *  hour shows as one column among quiet ones instead of filling the whole chart. */
export function fillHours(buckets: HourBucket[], hours = 24, nowSeconds = Date.now() / 1000): HourBucket[] {
  if (buckets.some((b) => b.hour === null)) return buckets;
  const byHour = new Map(buckets.map((b) => [b.hour as number, b]));
  const newest = Math.max(Math.floor(nowSeconds / 3600) * 3600, ...buckets.map((b) => b.hour as number));
  const out: HourBucket[] = [];
  for (let i = hours - 1; i >= 0; i--) {
    const h = newest - i * 3600;
    out.push(byHour.get(h) ?? { hour: h, t: hourLabel(h), completed: 0, failed: 0, submitted: 0 });
  }
  return out;
}
