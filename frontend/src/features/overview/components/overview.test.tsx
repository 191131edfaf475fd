import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiServer, fleet, job, page } from "../../../test/apiServer";
import { OverviewPage } from "./OverviewPage";

const ID = job().job_id as string;

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

function node(name: string, over: Record<string, unknown> = {}) {
  return { node: name, alive: true, available: true, maintenance: false, queued: 3, processing: 1, workers: 2,
    resources: { CPU: 2, memory: 8 * 1024 ** 3 }, ...over };
}

describe("OverviewPage", () => {
  it("shows node cards, counters and latest jobs with their first frame, and toggles maintenance", async () => {
    const state = { maintenance: false };
    server
      .on("GET /cluster/nodes", () => fleet([node("node-a", { maintenance: state.maintenance }), node("node-b", { alive: false })]))
      .on("POST /cluster/nodes/node-a/maintenance", (r) => {
        state.maintenance = (JSON.parse(r.body) as { enabled: boolean }).enabled;
        return { json: node("node-a", { maintenance: state.maintenance }) };
      })
      .on("GET /metrics", { json: { node: "node-a", jobs_queued: 3, jobs_completed: 42, uptime_seconds: 12.5 } })
      .on("GET /cluster/jobs", (r) =>
        page({
          jobs:
            r.query.get("status") === "completed"
              ? [job({ brand: "ACME" })]
              : [job({ job_id: "node-a-run", original_name: "running.mp4", status: "processing", stage: "frame_extract", progress: 20 }), job({ brand: "ACME" })],
          total: 2,
          limit: 8,
          offset: 0,
          unavailable_nodes: [],
      }))
      .on("GET /jobs/*", (r) => ({
        json: { job_id: "x", frames: [
          { name: "frame_000.jpg", timestamp: 0.5, url: `${r.path}/frames/frame_000.jpg` },
          { name: "frame_001.jpg", timestamp: 5.5, url: `${r.path}/frames/frame_001.jpg` },
        ] },
      }));
    const user = userEvent.setup();
    render(<OverviewPage />);

    const cards = await screen.findAllByTestId("node-card");
    expect(cards).toHaveLength(2);
    expect(within(cards[0]!).getByTestId("node-queued")).toHaveTextContent("3");
    expect(within(cards[0]!).getByText("8.0 GB")).toBeInTheDocument();
    expect(within(cards[1]!).getByText("down")).toBeInTheDocument();
    // A dead node cannot be put into maintenance.
    expect(within(cards[1]!).getByRole("switch")).toBeDisabled();

    expect(await screen.findByText("Jobs completed")).toBeInTheDocument();
    expect(screen.getByText("Uptime")).toBeInTheDocument();
    expect(screen.getByText("13 s")).toBeInTheDocument();
    expect(screen.getByText("42")).toBeInTheDocument();

    const latest = await screen.findByTestId("latest-job");
    expect(within(latest).getByText("ACME")).toBeInTheDocument();
    const img = await within(latest).findByRole("img");
    expect(img.getAttribute("src")).toBe(`${server.url}/jobs/${ID}/artifacts/frames/frame_000.jpg`);
    expect(within(latest).getByRole("link")).toHaveAttribute("href", `#/jobs/${ID}`);

    const feed = await screen.findByTestId("activity");
    const items = within(feed).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("running.mp4");
    expect(items[0]).toHaveTextContent("frame extract");
    expect(within(items[0]!).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "20");
    expect(items[1]).toHaveTextContent("Completed");

    const toggle = within(cards[0]!).getByRole("switch", { name: "Maintenance" });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(server.find("POST", "/cluster/nodes/node-a/maintenance")).toHaveLength(1));
    expect(JSON.parse(server.find("POST", "/cluster/nodes/node-a/maintenance")[0]!.body)).toEqual({ enabled: true });
    await waitFor(() => expect(within(screen.getAllByTestId("node-card")[0]!).getByRole("switch")).toBeChecked());
  });

  it("shows the API error when the cluster view fails", async () => {
    server
      .on("GET /cluster/nodes", { status: 503, json: { detail: "Ray is not running" } })
      .on("GET /metrics", { json: {} })
      .on("GET /cluster/jobs", page({ jobs: [], total: 0, limit: 6, offset: 0 }));
    render(<OverviewPage />);
    expect(await screen.findByText("Ray is not running")).toBeInTheDocument();
    expect(await screen.findByText("No completed jobs yet.")).toBeInTheDocument();
  });
});
