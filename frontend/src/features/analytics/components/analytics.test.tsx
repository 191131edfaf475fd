import { render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { fillHours, normalizeAnalytics } from "../api/analytics";
import { AnalyticsPage } from "./AnalyticsPage";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

// The current hour and the one before, so they fall in the chart's last-24-hours window.
const H = Math.floor(Date.now() / 3_600_000) * 3600;
const RAW = {
  nodes: { "node-a": { available: true }, "node-b": { available: false } },
  counts: { completed: 7, failed: 2, queued: 1 },
  durations: { n: 7, p50: 8.25, p95: 31.5, mean: 10 },
  top_brands: [{ name: "ACME", count: 5 }, { name: "Globex", count: 2 }],
  top_categories: [{ name: "Athletic Shoes", industry: "Apparel", count: 4 }],
  top_industries: [{ name: "Apparel", count: 4 }],
  failures: [{ reason: "no video stream", count: 2 }],
  per_hour: [
    { hour: H, submitted: 4, completed: 3, failed: 1 },
    { hour: H - 3600, submitted: 6, completed: 4, failed: 1 },
  ],
};

describe("analytics", () => {
  it("reads the API's merged analytics", () => {
    const a = normalizeAnalytics(RAW);
    expect(a.total).toBe(10);
    expect(a.durations.p95).toBe(31.5);
    expect(a.perHour.map((p) => p.completed)).toEqual([4, 3]);
    expect(a.failures).toEqual([{ name: "no video stream", count: 2 }]);
    expect(a.unavailableNodes).toEqual(["node-b"]);
    expect(normalizeAnalytics(null).total).toBe(0);
    const filled = fillHours(a.perHour, 24, H + 120);
    expect(filled).toHaveLength(24);
    expect(filled.at(-1)?.completed).toBe(3);
    expect(filled.at(-2)?.completed).toBe(4);
    expect(filled.slice(0, 22).every((b) => b.completed === 0 && b.failed === 0)).toBe(true);
  });

  it("shows counters, percentiles, top lists and failures", async () => {
    server.on("GET /cluster/analytics", { json: RAW });
    render(<AnalyticsPage />);
    const counters = await screen.findByTestId("analytics-counters");
    expect(within(counters).getByText("8.3 s")).toBeInTheDocument();
    expect(within(counters).getByText("32 s")).toBeInTheDocument();
    expect(screen.getByText("ACME")).toBeInTheDocument();
    expect(screen.getByText("Athletic Shoes")).toHaveAttribute("title", "Apparel › Athletic Shoes");
    expect(screen.getByText("no video stream")).toBeInTheDocument();
    expect(screen.getByText(/unreachable node node-b/)).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /9 finished jobs in 24 buckets/ })).toBeInTheDocument();
  });
});
