import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiServer } from "../../../test/apiServer";
import { autoPriority } from "../api/jobs";
import { SubmitPanel } from "./SubmitPanel";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  server.on("GET /ollama/models", { status: 502, json: { detail: "Ollama unreachable" } });
  server.on("POST /jobs/by-urls", (r) => ({
    json: (JSON.parse(r.body) as { urls: string[] }).urls.map((_, i) => ({ job_id: `node-a-u${i}`, status: "queued" })),
  }));
});

const sentPriority = (path: string, index = 0): unknown =>
  (JSON.parse(server.find("POST", path)[index]!.body) as { priority?: unknown }).priority;

describe("submit priority", () => {
  it("is high for one video and normal for a batch by default", () => {
    expect(autoPriority(1)).toBe("high");
    expect(autoPriority(2)).toBe("normal");
    expect(autoPriority("batch")).toBe("normal");
  });

  it("sends high for a single URL or server file, normal for several URLs or a folder", async () => {
    server.on("POST /jobs/by-filepath", { json: { job_id: "node-a-f", status: "queued" } });
    server.on("POST /jobs/by-folder", { json: [{ job_id: "node-a-d", status: "queued" }] });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    expect(screen.getByLabelText("Priority")).toHaveValue("auto");

    await user.type(screen.getByLabelText(/Video URLs/), "http://127.0.0.1:9/one.mp4");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByTestId("submitted");
    expect(sentPriority("/jobs/by-urls")).toBe("high");

    await user.type(screen.getByLabelText(/Video URLs/), "http://127.0.0.1:9/a.mp4{enter}http://127.0.0.1:9/b.mp4");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByText(/Submitted 2 jobs/);
    expect(sentPriority("/jobs/by-urls", 1)).toBe("normal");

    await user.click(screen.getByRole("tab", { name: "Server file" }));
    await user.type(screen.getByLabelText(/File path on the server/), "/srv/ads/spot.mp4");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByText(/node-a-f/);
    expect(sentPriority("/jobs/by-filepath")).toBe("high");

    await user.click(screen.getByRole("tab", { name: "Server folder" }));
    await user.type(screen.getByLabelText(/Folder on the server/), "/srv/ads/batch");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByText(/node-a-d/);
    expect(sentPriority("/jobs/by-folder")).toBe("normal");
  });

  it("sends the chosen priority instead, also with an upload", async () => {
    server.on("POST /jobs/upload", { json: { job_id: "node-a-up", status: "queued" } });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.selectOptions(screen.getByLabelText("Priority"), "low");
    await user.type(screen.getByLabelText(/Video URLs/), "http://127.0.0.1:9/one.mp4");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    await screen.findByTestId("submitted");
    expect(sentPriority("/jobs/by-urls")).toBe("low");

    await user.click(screen.getByRole("tab", { name: "Upload" }));
    await user.upload(screen.getByTestId("file-input"), new File([new Uint8Array(256)], "spot.mp4", { type: "video/mp4" }));
    await user.click(screen.getByRole("button", { name: "Upload 1 file" }));
    await screen.findByText(/node-a-up/);
    expect(server.find("POST", "/jobs/upload")[0]!.body).toMatch(/name="priority"\r\n\r\nlow\r\n/);
  });

  it("uploads one file as high by default", async () => {
    server.on("POST /jobs/upload", { json: { job_id: "node-a-one", status: "queued" } });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Upload" }));
    await user.upload(screen.getByTestId("file-input"), new File([new Uint8Array(256)], "one.mp4", { type: "video/mp4" }));
    await user.click(screen.getByRole("button", { name: "Upload 1 file" }));
    await screen.findByText(/node-a-one/);
    expect(server.find("POST", "/jobs/upload")[0]!.body).toMatch(/name="priority"\r\n\r\nhigh\r\n/);
  });
});
