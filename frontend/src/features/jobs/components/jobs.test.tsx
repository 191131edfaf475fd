import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiServer, job, page } from "../../../test/apiServer";
import { QueueTable } from "./QueueTable";
import { parseUrls, SubmitPanel } from "./SubmitPanel";

const server = new ApiServer();
beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.reset();
  server.on("GET /ollama/models", { status: 502, json: { detail: "Ollama unreachable" } });
});

describe("QueueTable", () => {
  it("lists jobs, filters by status tab and bulk-deletes the selection", async () => {
    const jobs = [
      job({ job_id: "node-a-11111111-1111-4111-8111-111111111111", original_name: "one.mp4", brand: "Alpha" }),
      job({ job_id: "node-b-22222222-2222-4222-8222-222222222222", original_name: "two.mp4", brand: "Beta", node: "node-b" }),
    ];
    server
      .on("GET /cluster/jobs", (r) =>
        page({ jobs: r.query.get("status") === "failed" ? [] : jobs, total: 2, limit: 20, offset: 0, unavailable_nodes: [] }))
      .on("POST /jobs/bulk-delete", (r) => ({ json: { deleted: (JSON.parse(r.body) as { job_ids: string[] }).job_ids, not_found: [] } }));
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const user = userEvent.setup();
    render(<QueueTable refreshKey={0} />);

    expect(await screen.findByText("one.mp4")).toBeInTheDocument();
    expect(screen.getByText("Beta")).toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: "Failed" }));
    await waitFor(() => expect(server.find("GET", "/cluster/jobs").at(-1)?.query.get("status")).toBe("failed"));
    expect(await screen.findByText(/No jobs/)).toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: "All" }));
    await screen.findByText("one.mp4");
    await user.click(screen.getByRole("checkbox", { name: "Select all jobs on this page" }));
    const button = screen.getByTestId("bulk-delete");
    expect(button).toHaveTextContent("Delete selected (2)");
    await user.click(button);
    await waitFor(() => expect(server.find("POST", "/jobs/bulk-delete")).toHaveLength(1));
    expect(JSON.parse(server.find("POST", "/jobs/bulk-delete")[0]!.body)).toEqual({ job_ids: jobs.map((j) => j.job_id) });
    await waitFor(() => expect(screen.getByTestId("bulk-delete")).toHaveTextContent("(0)"));
  });

  it("sends the search text and pages with offset", async () => {
    server.on("GET /cluster/jobs", (r) =>
      page({
        jobs: [job({ original_name: `page-${r.query.get("offset")}.mp4` })],
        total: 45,
        limit: 20,
        offset: Number(r.query.get("offset")),
        unavailable_nodes: [{ node: "node-c", reason: "timeout" }],
    }));
    const user = userEvent.setup();
    render(<QueueTable refreshKey={0} />);
    expect(await screen.findByText("page-0.mp4")).toBeInTheDocument();
    expect(screen.getByText(/Page 1 of 3/)).toBeInTheDocument();
    expect(screen.getByText(/unreachable node node-c/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Next/ }));
    expect(await screen.findByText("page-20.mp4")).toBeInTheDocument();
    await user.type(screen.getByRole("searchbox", { name: "Search jobs" }), "acme");
    await waitFor(() => expect(server.find("GET", "/cluster/jobs").at(-1)?.query.get("q")).toBe("acme"));
    // A new search starts again at the first page.
    expect(server.find("GET", "/cluster/jobs").at(-1)?.query.get("offset")).toBe("0");
  });
});

describe("SubmitPanel", () => {
  it("submits URLs one per line with the chosen settings", async () => {
    server.on("POST /jobs/by-urls", (r) => ({
      json: (JSON.parse(r.body) as { urls: string[] }).urls.map((_, i) => ({ job_id: `node-a-job${i}`, status: "queued" })),
    }));
    const onSubmitted = vi.fn();
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={onSubmitted} />);
    await user.type(screen.getByLabelText(/Video URLs/), "http://127.0.0.1:9/a.mp4{enter}{enter}http://127.0.0.1:9/b.mp4");
    await user.selectOptions(screen.getByLabelText("Scan mode"), "Full Video");
    await user.selectOptions(screen.getByLabelText("OCR engine"), "tesseract");
    await user.click(screen.getByRole("button", { name: "Submit" }));

    const status = await screen.findByTestId("submitted");
    expect(status).toHaveTextContent("Submitted 2 jobs");
    expect(within(status).getByRole("link", { name: "node-a-job1" })).toHaveAttribute("href", "#/jobs/node-a-job1");
    const body = JSON.parse(server.find("POST", "/jobs/by-urls")[0]!.body) as { urls: string[]; mode: string; settings: unknown };
    expect(body.urls).toEqual(["http://127.0.0.1:9/a.mp4", "http://127.0.0.1:9/b.mp4"]);
    expect(body.mode).toBe("pipeline");
    expect(body.settings).toMatchObject({ provider: "embedded", scan_mode: "Full Video", ocr_engine: "tesseract" });
    expect(onSubmitted).toHaveBeenCalledOnce();
  });

  it("lists Ollama models only when Ollama is the provider, and copes with Ollama being down", async () => {
    let up = true;
    server.on("GET /ollama/models", () =>
      up
        ? { json: { host: "http://127.0.0.1:11434", models: [{ name: "qwen3-vl:8b-instruct" }, { name: "llava:7b" }] } }
        : { status: 503, json: { detail: "Ollama unreachable" } },
    );
    const user = userEvent.setup();
    const { unmount } = render(<SubmitPanel onSubmitted={() => undefined} />);
    const model = screen.getByLabelText("Model");
    expect(model).toBeDisabled();
    expect(server.find("GET", "/ollama/models")).toHaveLength(0);
    await user.selectOptions(screen.getByLabelText("Provider"), "ollama");
    expect(model).toBeEnabled();
    await waitFor(() => expect(document.querySelectorAll("datalist option")).toHaveLength(2));
    expect(document.querySelector("datalist option")).toHaveAttribute("value", "qwen3-vl:8b-instruct");
    unmount();

    up = false;
    render(<SubmitPanel onSubmitted={() => undefined} />);
    // The provider choice is remembered (localStorage) and the list request fails quietly.
    expect(await screen.findByText(/model list unavailable/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("submits a server folder and lists every job it created", async () => {
    server.on("POST /jobs/by-folder", {
      json: [
        { job_id: "node-a-f1", status: "queued" },
        { job_id: "node-b-f2", status: "queued" },
      ],
    });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Server folder" }));
    await user.type(screen.getByLabelText(/Folder on the server/), "/srv/ads/batch-12");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    expect(await screen.findByTestId("submitted")).toHaveTextContent("Submitted 2 jobs: node-a-f1, node-b-f2");
    expect(JSON.parse(server.find("POST", "/jobs/by-folder")[0]!.body)).toMatchObject({
      mode: "pipeline",
      folder_path: "/srv/ads/batch-12",
    });
  });

  it("accepts files dropped on the drop zone", async () => {
    server.on("POST /jobs/upload", { json: { job_id: "node-a-dropped", status: "queued" } });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Upload" }));
    const zone = screen.getByTestId("dropzone");
    const file = new File([new Uint8Array(512)], "dropped.mov", { type: "video/quicktime" });
    fireEvent.dragOver(zone, { dataTransfer: { files: [file], types: ["Files"] } });
    expect(zone).toHaveClass("dropzone-active");
    fireEvent.drop(zone, { dataTransfer: { files: [file], types: ["Files"] } });
    expect(zone).not.toHaveClass("dropzone-active");
    expect(screen.getByText("dropped.mov")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Upload 1 file" }));
    expect(await screen.findByTestId("submitted")).toHaveTextContent("node-a-dropped");
    expect(server.find("POST", "/jobs/upload")[0]!.body).toContain('filename="dropped.mov"');
  });

  it("cancels an upload in flight", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    server.on("POST /jobs/upload", async () => {
      await held;
      return { json: { job_id: "node-a-late", status: "queued" } };
    });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Upload" }));
    await user.upload(screen.getByTestId("file-input"), new File([new Uint8Array(4096)], "slow.mp4", { type: "video/mp4" }));
    await user.click(screen.getByRole("button", { name: "Upload 1 file" }));
    await user.click(await screen.findByRole("button", { name: "Cancel upload of slow.mp4" }));
    expect(await screen.findByText("Upload cancelled")).toBeInTheDocument();
    expect(screen.queryByTestId("submitted")).not.toBeInTheDocument();
    release();
  });

  it("shows the server's validation message for a refused path", async () => {
    server.on("POST /jobs/by-filepath", { status: 403, json: { detail: "path is outside ALLOWED_FOLDER_ROOTS" } });
    const user = userEvent.setup();
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Server file" }));
    await user.type(screen.getByLabelText(/File path on the server/), "/etc/passwd");
    await user.click(screen.getByRole("button", { name: "Submit" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("outside ALLOWED_FOLDER_ROOTS");
  });

  it("uploads several files with progress and sends mode and settings as form fields", async () => {
    server.on("POST /jobs/upload", (r) => {
      const name = /filename="([^"]+)"/.exec(r.body)?.[1];
      return { json: { job_id: `node-a-${name}`, status: "queued" } };
    });
    // applyAccept off: a user can still drop or pick a non-video file; the form must refuse it.
    const user = userEvent.setup({ applyAccept: false });
    render(<SubmitPanel onSubmitted={() => undefined} />);
    await user.click(screen.getByRole("tab", { name: "Upload" }));
    const files = [
      new File([new Uint8Array(2048)], "first.mp4", { type: "video/mp4" }),
      new File([new Uint8Array(1024)], "second.webm", { type: "video/webm" }),
      new File(["x"], "notes.txt", { type: "text/plain" }),
    ];
    await user.upload(screen.getByTestId("file-input"), files);
    expect(screen.getByText(/Not a video file/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Upload 2 files" }));

    const status = await screen.findByTestId("submitted", {}, { timeout: 5000 });
    expect(status).toHaveTextContent("Submitted 2 jobs");
    const uploads = server.find("POST", "/jobs/upload");
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.headers["content-type"]).toMatch(/^multipart\/form-data/);
    expect(uploads[0]!.body).toMatch(/name="mode"\r\n\r\npipeline/);
    const settings = /name="settings"\r\n\r\n(\{.*\})/.exec(uploads[0]!.body)?.[1];
    expect(JSON.parse(settings!)).toMatchObject({ provider: "embedded", scan_mode: "Tail Only" });
    expect(screen.getAllByText("Uploaded")).toHaveLength(2);
    expect(screen.getByRole("progressbar", { name: /first\.mp4/ })).toHaveAttribute("value", "1");
  });
});

describe("URL list", () => {
  it("splits URLs one per line, skipping blanks and comments", () => {
    expect(parseUrls(" http://a/1.mp4 \n\n# note\r\nhttp://b/2.mp4")).toEqual(["http://a/1.mp4", "http://b/2.mp4"]);
  });
});
