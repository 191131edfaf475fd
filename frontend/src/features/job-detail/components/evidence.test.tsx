import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiServer, job } from "../../../test/apiServer";
import { formatClock, overlayRect, unknownBrandReason } from "./evidence";
import { JobDetailPage } from "./JobDetailPage";
import { STAGES, stepStates } from "./StageTimeline";

const server = new ApiServer();
const ID = job().job_id as string;
const FRAME = (name: string) => `/jobs/${ID}/artifacts/frames/${name}`;
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => server.reset());

const SPEECH = [
  { text: "Just do it", start: 2.0, end: 3.1, confidence: 0.64, language: "en" },
  { text: "nike dot com", start: 14.2, end: 15.6, confidence: 0.92, language: "en" },
];
// A 640x360 frame with a logo at (64,72)-(256,252), and a 480x360 (4:3) frame filled by one.
const LOGOS = [
  { brand: "McDonald's", score: 0.86, timestamp: 16.0, box: [64, 72, 256, 252], box_rel: [0.1, 0.2, 0.4, 0.7],
    frame: "frames/frame_016.jpg", frame_url: FRAME("frame_016.jpg"), source: "gallery", key: "mcdonalds" },
  { brand: "Nike", score: 0.71, timestamp: 4.0, box: [0, 0, 480, 360], box_rel: [0, 0, 1, 1],
    frame: "frames/frame_004.jpg", frame_url: FRAME("frame_004.jpg"), source: "user", key: "nike" },
];

type Over = { job?: Record<string, unknown>; result?: Record<string, unknown>; artifacts?: Record<string, unknown>;
  explanation?: Record<string, unknown> };

function serve(over: Over = {}) {
  server
    .on(`GET /jobs/${ID}`, { json: job({ brand: "Nike", ...over.job }) })
    .on(`GET /jobs/${ID}/result`, { json: { job_id: ID, status: "completed", reasoning: "Brand Nike.", ...over.result } })
    .on(`GET /jobs/${ID}/artifacts`, {
      json: {
        job_id: ID,
        frames: [
          // Extraction order, as the API gives it: the end card was taken first.
          { name: "frames/frame_020.jpg", timestamp: 20.0, url: FRAME("frame_020.jpg") },
          { name: "frames/frame_004.jpg", timestamp: 4.0, url: FRAME("frame_004.jpg") },
          { name: "frames/frame_016.jpg", timestamp: 16.0, url: FRAME("frame_016.jpg") },
        ],
        ocr_text: "NIKE",
        speech_text: SPEECH.map((l) => l.text).join(" "),
        speech_lines: SPEECH,
        speech_note: "",
        logos: LOGOS,
        logo_note: "",
        video_url: `/jobs/${ID}/video`,
        ...over.artifacts,
      },
    })
    .on(`GET /jobs/${ID}/events`, { json: { events: [], entries: [] } })
    .on(`GET /jobs/${ID}/explanation`, {
      json: {
        job_id: ID,
        attempts: [],
        brand: {
          sources: [
            { source: "logo", text: "McDonald's", timestamp: 16.0, score: 0.86 },
            { source: "speech", text: "nike dot com", timestamp: 14.2, score: 0.8 },
            { source: "end card", text: "NIKE", timestamp: null, score: 0.75 },
          ],
          disagreement: "sources disagree: Nike from speech vs McDonald's from logo; kept Nike (0.95 vs 0.86)",
          rejected: ["'Just do it': only everyday words"],
          catalogue_brand: "Nike",
          category_source: "catalogue",
        },
        ...over.explanation,
      },
    });
}

describe("speech panel", () => {
  it("lists the transcript with start times and confidence; a line seeks the video", async () => {
    serve();
    render(<JobDetailPage jobId={ID} />);
    const transcript = await screen.findByTestId("speech-lines");
    const lines = within(transcript).getAllByRole("button");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toHaveTextContent("00:14.2");
    expect(lines[1]).toHaveTextContent("nike dot com");
    expect(lines[1]).toHaveTextContent("92%");
    expect(lines[0]).toHaveTextContent("64%");
    const video = document.querySelector("video")!;
    expect(video.currentTime).toBe(0);
    await userEvent.click(lines[1]!);
    expect(video.currentTime).toBeCloseTo(14.2);
    // Keyboard: the lines are buttons, reachable with Tab and activated with Enter.
    lines[0]!.focus();
    expect(lines[0]).toHaveFocus();
    await userEvent.keyboard("{Enter}");
    expect(video.currentTime).toBeCloseTo(2.0);
  });

  it("shows why there is no transcript", async () => {
    serve({ artifacts: { speech_lines: [], speech_text: "", speech_note: "no audio track" } });
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("speech-note")).toHaveTextContent("No speech: no audio track");
    expect(screen.queryByTestId("speech-lines")).not.toBeInTheDocument();
  });

  it("does not repeat 'speech' when the note already says what is missing", async () => {
    serve({ artifacts: { speech_lines: [], speech_note: "no speech recognised" } });
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("speech-note")).toHaveTextContent(/^No speech recognised$/);
  });
});

describe("logos on frames", () => {
  it("draws each detection's box from box_rel on its frame, labelled with brand and score", async () => {
    serve();
    render(<JobDetailPage jobId={ID} />);
    const frames = await screen.findByTestId("frames");
    const boxes = await within(frames).findAllByTestId("logo-box");
    expect(boxes).toHaveLength(2);
    const mc = frames.querySelector('[data-frame="frames/frame_016.jpg"] [data-testid="logo-box"]') as HTMLElement;
    expect(mc).toHaveTextContent("McDonald's 0.86");
    // 16:9 frame in a 16:9 thumbnail: the percentages are the fractions.
    expect(mc.style.left).toBe("10%");
    expect(mc.style.top).toBe("20%");
    expect(mc.style.width).toBe("30%");
    expect(mc.style.height).toBe("50%");
    // A 4:3 frame is pillarboxed in the 16:9 thumbnail: 75% wide, 12.5% bars at each side.
    const nike = frames.querySelector('[data-frame="frames/frame_004.jpg"] [data-testid="logo-box"]') as HTMLElement;
    expect(nike).toHaveTextContent("Nike 0.71");
    expect(nike.style.left).toBe("12.5%");
    expect(nike.style.width).toBe("75%");
    expect(nike.style.height).toBe("100%");
    expect(frames.querySelector('[data-frame="frames/frame_020.jpg"] [data-testid="logo-box"]')).toBeNull();
    expect(within(frames).getByAltText("Frame at 0:16.0, logos: McDonald's 0.86")).toBeInTheDocument();
    const order = [...frames.querySelectorAll("figure")].map((f) => f.getAttribute("data-frame"));
    expect(order).toEqual(["frames/frame_004.jpg", "frames/frame_016.jpg", "frames/frame_020.jpg"]);
  });

  it("lists detected logos in time order; a time seeks the video", async () => {
    serve();
    render(<JobDetailPage jobId={ID} />);
    const list = await screen.findByTestId("logos");
    const items = within(list).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Nike");
    expect(items[0]).toHaveTextContent("from your logo gallery");
    expect(items[1]).toHaveTextContent("McDonald's0.860:16.0");
    await userEvent.click(within(items[1]!).getByRole("button", { name: "Show McDonald's in the video at 0:16.0" }));
    expect(document.querySelector("video")!.currentTime).toBe(16);
  });

  it("says why no logo was recognised", async () => {
    serve({ artifacts: { logos: [], logo_note: "logo recognition is off (LOGOS_ENABLED=false)" } });
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("logo-note")).toHaveTextContent(
      "Logo recognition is off (LOGOS_ENABLED=false)",
    );
    expect(screen.queryAllByTestId("logo-box")).toHaveLength(0);
  });
});

describe("why this brand", () => {
  it("lists the sources, the disagreement as a warning, refused readings and the category source", async () => {
    serve();
    render(<JobDetailPage jobId={ID} />);
    const panel = await screen.findByRole("region", { name: "Why this brand" });
    const sources = await within(panel).findByTestId("brand-sources");
    const items = within(sources).getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual([
      "logo at 16.0 s (McDonald's) 0.86",
      "speech at 14.2 s ('nike dot com') 0.80",
      "end card ('NIKE') 0.75",
    ]);
    const warning = within(panel).getByTestId("brand-disagreement");
    expect(warning).toHaveClass("banner-warn");
    expect(warning).toHaveTextContent("Warning: sources disagree: Nike from speech vs McDonald's from logo");
    expect(within(panel).getByTestId("brand-rejected")).toHaveTextContent("'Just do it': only everyday words");
    expect(within(panel).getByTestId("category-source")).toHaveTextContent("Category from the brand catalogue");
    expect(within(panel).getByText("Nike", { selector: "strong" })).toBeInTheDocument();
  });

  it("reads an empty brand as 'Unknown brand' with the reason, never as a blank", async () => {
    serve({
      job: { brand: null },
      result: {
        brand: "",
        reasoning:
          "No brand: no brand named in on-screen text, speech (no audio track) or logos (not a brand: " +
          "'Just do it': only everyday words); copy mentions 'shoes' → Apparel.",
      },
      artifacts: { speech_lines: [], speech_note: "no audio track", logos: [], logo_note: "" },
      explanation: {
        brand: { sources: [], disagreement: "", rejected: ["'Just do it': only everyday words"],
          catalogue_brand: null, category_source: "copy" },
      },
    });
    render(<JobDetailPage jobId={ID} />);
    expect(await screen.findByTestId("verdict-brand")).toHaveTextContent("Unknown brand");
    const unknown = await screen.findByTestId("unknown-brand");
    expect(unknown).toHaveTextContent(
      "Unknown brand: no brand named in on-screen text, speech (no audio track) or logos.",
    );
    const panel = screen.getByRole("region", { name: "Why this brand" });
    expect(within(panel).getByTestId("brand-rejected")).toHaveTextContent("'Just do it'");
    expect(within(panel).getByTestId("category-source")).toHaveTextContent("the ad's copy");
    expect(screen.getByTestId("speech-note")).toHaveTextContent("No speech: no audio track");
    expect(screen.getByTestId("logo-note")).toHaveTextContent("No logo recognised.");
  });
});

describe("evidence helpers", () => {
  it("formats transcript times as mm:ss.s", () => {
    expect(formatClock(14.24)).toBe("00:14.2");
    expect(formatClock(59.96)).toBe("01:00.0");
    expect(formatClock(754.5)).toBe("12:34.5");
  });
  it("letterboxes a wide frame and pillarboxes a tall one", () => {
    expect(overlayRect([0, 0, 1, 1], 32 / 9)).toEqual({ left: 0, top: 25, width: 100, height: 50 });
    expect(overlayRect([0.5, 0.5, 1, 1], 9 / 16)).toMatchObject({ left: 50, top: 50, height: 50 });
  });
  it("falls back to the stage notes when the reasoning gives no reason", () => {
    expect(unknownBrandReason({ status: "completed", error: null }, "LLM said so", { speech: "silent audio" })).toBe(
      "no brand named in the on-screen text, the speech (silent audio) or the logos",
    );
    expect(unknownBrandReason({ status: "failed", error: "ffmpeg: no video stream." }, null)).toBe(
      "the job failed: ffmpeg: no video stream",
    );
  });
  it("orders the new logo and speech stages between OCR and classification", () => {
    expect(STAGES.map(([s]) => s)).toEqual([
      "queued", "claim", "ingest", "frame_extract", "ocr", "logos", "asr", "classify", "map", "persist", "completed",
    ]);
    const s = stepStates({ status: "processing", stage: "asr" });
    expect(s.slice(4, 8)).toEqual(["done", "done", "current", "pending"]);
  });
});

describe("stage timeline", () => {
  it("derives timeline states from the stage", () => {
    const s = stepStates({ status: "processing", stage: "ocr" });
    expect(s.slice(0, 6)).toEqual(["done", "done", "done", "done", "current", "pending"]);
    expect(stepStates({ status: "completed", stage: "completed" }).every((x) => x === "done")).toBe(true);
    // A failure is drawn where the job stopped, known from the event log.
    const f = stepStates({ status: "failed", stage: "failed" }, "frame_extract");
    expect(f.slice(0, 5)).toEqual(["done", "done", "done", "failed", "pending"]);
  });
});
