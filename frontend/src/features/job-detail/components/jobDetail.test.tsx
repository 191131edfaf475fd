import { render, screen, waitFor, within } from "@testing-library/react";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiServer, job } from "../../../test/apiServer";
import { resultCsv } from "./exportCsv";
import { JobDetailPage } from "./JobDetailPage";

const server = new ApiServer();
const ID = job().job_id as string;
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

function serveFinishedJob(over: Record<string, unknown> = {}) {
  server
    .on(`GET /jobs/${ID}`, { json: job(over) })
    .on(`GET /jobs/${ID}/result`, {
      json: {
        job_id: ID, status: "completed", brand: "ACME", reasoning: "End card shows ACME and acme.com.",
        raw_category: "running shoes", mapper_method: "embedding", mapper_score: 0.8123, provider: "embedded",
      },
    })
    .on(`GET /jobs/${ID}/artifacts`, {
      json: {
        job_id: ID,
        frames: [{ name: "frame_000.jpg", timestamp: 3.2, url: `/jobs/${ID}/artifacts/frames/frame_000.jpg` }],
        ocr_text: "ACME\nacme.com",
        mapper_top: [
          { id: "1234", name: "Athletic Shoes", path: "Apparel > Footwear > Athletic Shoes", score: 0.8123 },
          { id: "1250", name: "Sportswear", path: "Apparel > Sportswear", score: 0.71 },
        ],
        video_url: `/jobs/${ID}/video`,
      },
    })
    .on(`GET /jobs/${ID}/events`, {
      json: { events: ["2026-11-24T20:00:01Z ocr: 2 lines"], entries: [{ ts: "2026-11-24T20:00:01Z", stage: "ocr", message: "2 lines" }] },
    })
    .on(`GET /jobs/${ID}/explanation`, {
      json: {
        job_id: ID,
        attempts: [
          { type: "llm", trigger: "initial", accepted: false, reason: "confidence 0.41 < 0.7", result: { brand: "ACNE", confidence: 0.41 } },
          { type: "tail_ocr_dense", trigger: "low confidence", accepted: true, reason: "brand matches domain", ocr_excerpt: "ACME acme.com" },
        ],
        timings: { frame_extract: 0.41, ocr: 1.234 },
      },
    });
}

describe("JobDetailPage", () => {
  it("renders verdict, timeline, frames, OCR, and accepted/rejected attempts", async () => {
    serveFinishedJob();
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("verdict-brand")).toHaveTextContent("ACME");
    expect(screen.getByTestId("verdict-category")).toHaveTextContent("Apparel › Footwear › Athletic Shoes");
    expect(screen.getByText("91%")).toBeInTheDocument();
    expect(await screen.findByText("End card shows ACME and acme.com.")).toBeInTheDocument();
    expect(await screen.findByTestId("ocr-text")).toHaveTextContent("acme.com");
    const frame = within(screen.getByTestId("frames")).getByRole("img");
    expect(frame).toHaveAttribute("alt", "Frame at 0:03.2");
    expect(frame.getAttribute("src")).toBe(`${server.url}/jobs/${ID}/artifacts/frames/frame_000.jpg`);
    const attempts = await screen.findByTestId("attempts");
    const items = within(attempts).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Rejected");
    expect(items[0]).toHaveTextContent("confidence 0.41 < 0.7");
    expect(items[1]).toHaveTextContent("Accepted");
    expect(screen.getByRole("list", { name: "Pipeline stages" }).querySelectorAll(".step-done")).toHaveLength(11);
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeEnabled();
    expect(document.querySelector("video")?.getAttribute("src")).toBe(`${server.url}/jobs/${ID}/video`);
    const mapping = screen.getByTestId("mapping");
    expect(mapping).toHaveTextContent("running shoes");
    expect(mapping).toHaveTextContent("embedding");
    expect(within(mapping).getAllByRole("row")).toHaveLength(3);
    expect(mapping).toHaveTextContent("Apparel > Footwear > Athletic Shoes");
    expect(await screen.findByTestId("timings")).toHaveTextContent("ocr 1.23 s");
  });

  it("follows a running job until it completes (polling when SSE is unavailable)", async () => {
    serveFinishedJob();
    // The job finishes only when the test says so, after it has seen the running state.
    let finished = false;
    server.on(`GET /jobs/${ID}`, () =>
      finished
        ? { json: job() }
        : { json: job({ status: "processing", stage: "ocr", progress: 40, brand: null, confidence: null }) },
    );
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("stage")).toHaveTextContent("ocr");
    expect(screen.getByRole("progressbar", { name: "Job progress" })).toHaveAttribute("aria-valuenow", "40");
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeDisabled();
    finished = true;
    await waitFor(() => expect(screen.getByTestId("verdict-brand")).toHaveTextContent("ACME"), { timeout: 10_000 });
    expect(screen.getByTestId("stream-mode")).toHaveTextContent("final");
  });

  it("shows the 404 message for an unknown job", async () => {
    render(<JobDetailPage jobId="node-a-missing" />);
    expect(await screen.findByRole("alert")).toHaveTextContent("no route /jobs/node-a-missing");
  });

  it("exports the merged job and result as one CSV row", () => {
    const csv = resultCsv(job() as never, { job_id: ID, status: "completed", reasoning: 'Says "ACME", twice' });
    const [header, row] = csv.trim().split("\r\n");
    expect(header?.split(",")).toContain("reasoning");
    expect(row).toContain('"Says ""ACME"", twice"');
    expect(row?.startsWith(ID)).toBe(true);
  });
});
