import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { jobCount, pct } from "../api/benchmark";
import { BenchmarkPage } from "./BenchmarkPage";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

const CONFIG = {
  provider: "embedded", ocr_engine: "rapidocr", ocr_mode: "Fast", runs: 2, completed: 2, failed: 0, pending: 0,
  category_accuracy: 0.5, tier1_accuracy: 1, tier2_accuracy: 1, ocr_similarity: 0.8, latency_p50: 4.2,
  latency_p95: 6.1, confidence_right: 0.91, confidence_wrong: 0.4,
};
const RESULTS = {
  suite_id: "suite-1", status: "completed",
  configurations: [
    { ...CONFIG, config_key: "embedded | Tail Only | rapidocr | Fast", scan_mode: "Tail Only", brand_accuracy: 1 },
    { ...CONFIG, config_key: "embedded | Full Video | rapidocr | Fast", scan_mode: "Full Video", brand_accuracy: 0.5 },
  ],
};

describe("benchmark", () => {
  it("counts a matrix's jobs and formats rates", () => {
    expect(jobCount({ providers: [], scan_modes: ["Tail Only", "Full Video"], ocr_engines: ["rapidocr"], ocr_modes: ["Fast", "Detailed"] }, 3)).toBe(12);
    expect(jobCount({ providers: ["embedded"], scan_modes: [], ocr_engines: ["rapidocr"], ocr_modes: ["Fast"] }, 3)).toBe(0);
    expect(pct(0.756)).toBe("75.6%");
    expect(pct(null)).toBe("–");
  });

  it("imports a CSV, runs a suite over the matrix and compares its configurations", async () => {
    const user = userEvent.setup();
    const sets = [{ set_id: "set-1", name: "Shoes", item_count: 2, created_at: null }];
    server.on("GET /api/benchmark/truth-sets", () => ({ json: { truth_sets: sets } }));
    server.on("POST /api/benchmark/truth-sets/import", (req) => {
      const body = JSON.parse(req.body) as { name: string };
      sets.push({ set_id: "set-2", name: body.name, item_count: 1, created_at: null });
      return { json: sets[1] };
    });
    server.on("GET /api/benchmark/suites", {
      json: { suites: [{ suite_id: "suite-1", set_id: "set-1", name: "Suite over set-1", status: "completed", total_jobs: 4, completed_jobs: 4, failed_jobs: 0 }] },
    });
    server.on("POST /api/benchmark/run", { json: { suite_id: "suite-1", jobs_enqueued: 4 } });
    server.on("GET /api/benchmark/suites/suite-1/results", { json: RESULTS });
    render(<BenchmarkPage />);

    await user.click(await screen.findByLabelText(/Shoes \(2 videos\)/));
    expect(screen.getByRole("button", { name: /Run suite \(4 jobs/ })).toBeInTheDocument();
    await user.click(screen.getByLabelText("Detailed"));
    await user.click(screen.getByRole("button", { name: /Run suite \(8 jobs/ }));
    const run = JSON.parse(server.find("POST", "/api/benchmark/run")[0]?.body ?? "{}") as Record<string, unknown>;
    expect(run).toMatchObject({ set_id: "set-1", scan_modes: ["Tail Only", "Full Video"], ocr_modes: ["Fast", "Detailed"] });

    const table = await screen.findByTestId("bench-table");
    const rows = within(table).getAllByRole("row");
    const brand = (row: number) => within(rows[row]!).getAllByRole("cell")[2]?.textContent;
    expect([brand(1), brand(2)]).toEqual(["100%", "50%"]);
    expect(within(rows[2]!).getByText("embedded | Full Video | rapidocr | Fast")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("4.2 s")).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Full Video \| rapidocr \| Fast: brand 50%/ })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Parquet" }).getAttribute("href")).toContain("/api/benchmark/suites/suite-1/export?format=parquet");

    await user.type(screen.getByLabelText("Name"), "Cars");
    await user.type(screen.getByLabelText(/or CSV text/), "video,expected_brand\nhttp://x/a.mp4,Audi");
    await user.click(screen.getByRole("button", { name: "Import truth set" }));
    expect(await screen.findByLabelText(/Cars \(1 videos\)/)).toBeInTheDocument();
    expect(JSON.parse(server.find("POST", "/api/benchmark/truth-sets/import")[0]?.body ?? "{}")).toMatchObject({ name: "Cars" });

    server.on("POST /api/benchmark/truth-sets/set-1/upload", { json: sets[0] });
    await user.upload(screen.getByLabelText("Video"), new File(["fake video"], "ad.mp4", { type: "video/mp4" }));
    await user.type(screen.getByLabelText("Expected brand"), "Nike");
    await user.click(screen.getByRole("button", { name: /Upload to the chosen set/ }));
    await vi.waitFor(() => expect(server.find("POST", "/api/benchmark/truth-sets/set-1/upload")).toHaveLength(1));
    const sent = server.find("POST", "/api/benchmark/truth-sets/set-1/upload")[0]?.body ?? "";
    expect(sent).toContain('name="expected_brand"');
    expect(sent).toContain("fake video");
  });
});
