import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { describeProgress, type Batch } from "../api/batches";
import { BatchesPage } from "./BatchesPage";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

const progress = (over: Partial<Batch["progress"]>): Batch["progress"] => ({
  total: 10, skipped: 0, done: 4, failed: 1, completed: 4, remaining: 6, percent: 40,
  ads_per_minute: 12, eta_seconds: 30, elapsed_seconds: 20, nodes: { "node-a": 3, "node-b": 1 }, ...over,
});

const RUNNING: Batch = {
  batch_id: "b-1111", source: "/srv/ads/q3", mode: "pipeline", settings: {}, status: "running", error: null,
  concurrency: null, runs: 1, created_at: "2026-01-01T00:00:00Z", finished_at: null, progress: progress({}), results: {},
};
const DONE: Batch = {
  ...RUNNING, batch_id: "b-2222", source: "/srv/ads/q2", status: "completed",
  progress: progress({ done: 10, completed: 10, remaining: 0, percent: 100, eta_seconds: 0 }),
  results: { parquet: "/batches/b-2222/results?format=parquet", csv: "/batches/b-2222/results?format=csv" },
};

describe("batches", () => {
  it("describes progress as done/total, ads/min, ETA and failures", () => {
    expect(describeProgress(progress({}))).toBe("4/10 · 12.0 ads/min · ETA 30 s · 1 failed");
    expect(describeProgress(progress({ eta_seconds: null }))).toContain("ETA -");
  });

  it("lists runs with progress, nodes and result downloads", async () => {
    server.on("GET /batches", { json: [RUNNING, DONE] });
    render(<BatchesPage />);
    const rows = await screen.findAllByTestId("batch-row");
    expect(rows).toHaveLength(2);
    const [running, done] = rows as [HTMLElement, HTMLElement];
    expect(within(running).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
    expect(within(running).getByText("node-a: 3, node-b: 1")).toBeInTheDocument();
    expect(within(running).getByText("when done")).toBeInTheDocument();
    const link = within(done).getByRole("link", { name: "Parquet" });
    expect(link.getAttribute("href")).toBe(`${server.url}/batches/b-2222/results?format=parquet`);
    expect(within(done).getByRole("link", { name: "CSV" })).toBeInTheDocument();
  });

  it("starts a batch on a server path and shows the server's refusal", async () => {
    server.on("GET /batches", { json: [] });
    server.on("POST /batches", { status: 403, json: { detail: "the path is outside the allowed folders: '/etc'" } });
    render(<BatchesPage />);
    expect(await screen.findByText("No batch yet.")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Server folder, manifest or glob"), "/etc");
    await userEvent.click(screen.getByRole("button", { name: "Start batch" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("outside the allowed folders");
    const posted = server.find("POST", "/batches");
    expect(posted).toHaveLength(1);
    expect(JSON.parse(posted[0]?.body ?? "")).toEqual({ source: "/etc" });
  });
});
