import { render, screen, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { normalizeAnalytics } from "../api/analytics";
import { AnalyticsPage } from "./AnalyticsPage";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const RAW = {
  nodes: { "node-a": { available: true }, "node-b": { available: false } },
  counts: { completed: 7, failed: 2, queued: 1 },
  durations: { n: 7, p50: 8.25, p95: 31.5, mean: 10 },
  top_brands: [{ name: "ACME", count: 5 }, { name: "Globex", count: 2 }],
  top_categories: [{ name: "Athletic Shoes", industry: "Apparel", count: 4 }],
  top_industries: [{ name: "Apparel", count: 4 }],
  failures: [{ reason: "no video stream", count: 2 }],
  per_hour: [
    { hour: 1795000000 + 3600, submitted: 4, completed: 3, failed: 1 },
    { hour: 1795000000, submitted: 6, completed: 4, failed: 1 },
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
  });

  it("shows counters, percentiles, top lists and failures", async () => {
    server.on("GET /cluster/analytics", { json: RAW });
    render(<AnalyticsPage />);
    const counters = await screen.findByTestId("analytics-counters");
    expect(within(counters).getByText("8.3 s")).toBeInTheDocument();
    expect(within(counters).getByText("32 s")).toBeInTheDocument();
    expect(screen.getByText("ACME")).toBeInTheDocument();
    expect(screen.getByText("Athletic Shoes (Apparel)")).toBeInTheDocument();
    expect(screen.getByText("no video stream")).toBeInTheDocument();
    expect(screen.getByText(/unreachable node node-b/)).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /9 finished jobs in 2 buckets/ })).toBeInTheDocument();
  });
});
