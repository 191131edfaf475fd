import { describe, expect, it } from "vitest";
import { parseEnv } from "../config/env";
import { filterTree, countNodes } from "../features/taxonomy/api/taxonomy";
import { modelNames } from "../features/jobs/api/jobs";
import { parseUrls } from "../features/jobs/components/SubmitPanel";
import { stepStates } from "../features/job-detail/components/StageTimeline";
import { csvCell, toCsv } from "./csv";
import { categoryPath, formatTimestamp, shortId } from "./format";
import { matchRoute, splitPath } from "./router";

describe("csv", () => {
  it("quotes separators and doubles quotes", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });
  it("neutralises spreadsheet formulas from OCR text", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(0.91)).toBe("0.91");
  });
  it("writes a header and one row per object in column order", () => {
    const csv = toCsv([{ b: 2, a: 1 }], ["a", "b", "c"]);
    expect(csv).toBe("a,b,c\r\n1,2,\r\n");
  });
});

describe("format", () => {
  it("joins industry > parent > category without repeats", () => {
    expect(categoryPath({ industry_name: "Apparel", parent_category: "Footwear", category_name: "Shoes" })).toBe(
      "Apparel › Footwear › Shoes",
    );
    expect(categoryPath({ industry_name: "Automotive", parent_category: "Automotive", category_name: "Cars" })).toBe(
      "Automotive › Cars",
    );
    expect(categoryPath({})).toBe("—");
  });
  it("formats timestamps and ids", () => {
    expect(formatTimestamp(65.25)).toBe("1:05.3");
    expect(formatTimestamp(null)).toBe("—");
    expect(shortId("node-a-6f1c2d8e-4b1a-4c53-9d7e-0a1b2c3d4e5f")).toBe("node-a-6f1c2d8e");
  });
});

describe("router", () => {
  it("matches params and decodes them", () => {
    expect(matchRoute("/jobs/:id", "/jobs/node-a%2Fx")).toEqual({ id: "node-a/x" });
    expect(matchRoute("/jobs/:id", "/jobs")).toBeNull();
    expect(matchRoute("/jobs", "/analytics")).toBeNull();
  });
  it("splits a query off the path", () => {
    const { path, query } = splitPath("/jobs?status=failed");
    expect(path).toBe("/jobs");
    expect(query.get("status")).toBe("failed");
  });
});

describe("env", () => {
  it("defaults to same origin and trims a trailing slash", () => {
    expect(parseEnv({}).apiBaseUrl).toBe("");
    expect(parseEnv({ VITE_API_BASE_URL: "http://127.0.0.1:8000/" }).apiBaseUrl).toBe("http://127.0.0.1:8000");
  });
  it("rejects a value that is not an http(s) URL", () => {
    expect(() => parseEnv({ VITE_API_BASE_URL: "127.0.0.1:8000" })).toThrow(/VITE_API_BASE_URL/);
  });
});

describe("taxonomy filter", () => {
  const tree = [
    { id: "1", name: "Apparel", children: [{ id: "2", name: "Shoes", children: [] }, { id: "3", name: "Hats" }] },
    { id: "4", name: "Automotive", children: [{ id: "5", name: "Car Shoes Cleaner" }] },
  ];
  it("keeps matches with their ancestors", () => {
    const out = filterTree(tree, "shoes");
    expect(out.map((n) => n.name)).toEqual(["Apparel", "Automotive"]);
    expect(out[0]?.children?.map((n) => n.name)).toEqual(["Shoes"]);
    expect(countNodes(out)).toBe(4);
  });
  it("keeps a matching parent's whole branch", () => {
    expect(countNodes(filterTree(tree, "apparel"))).toBe(3);
  });
});

describe("misc parsing", () => {
  it("reads Ollama model lists in either shape", () => {
    expect(modelNames({ models: [{ name: "qwen3-vl:8b" }, { model: "llava" }] })).toEqual(["qwen3-vl:8b", "llava"]);
    expect(modelNames(["a", "a", "b"])).toEqual(["a", "b"]);
    expect(modelNames({ error: "unreachable" })).toEqual([]);
  });
  it("splits URLs one per line, skipping blanks and comments", () => {
    expect(parseUrls(" http://a/1.mp4 \n\n# note\r\nhttp://b/2.mp4")).toEqual(["http://a/1.mp4", "http://b/2.mp4"]);
  });
  it("derives timeline states from the stage", () => {
    const s = stepStates({ status: "processing", stage: "ocr" });
    expect(s.slice(0, 6)).toEqual(["done", "done", "done", "done", "current", "pending"]);
    expect(stepStates({ status: "completed", stage: "completed" }).every((x) => x === "done")).toBe(true);
    // A failure is drawn where the job stopped, known from the event log.
    const f = stepStates({ status: "failed", stage: "failed" }, "frame_extract");
    expect(f.slice(0, 5)).toEqual(["done", "done", "done", "failed", "pending"]);
  });
});

describe("page base", () => {
  it("keeps the path prefix the dashboard was served under", async () => {
    const { pageBase } = await import("../api/client");
    expect(pageBase({ origin: "http://127.0.0.1:8000", pathname: "/" })).toBe("http://127.0.0.1:8000");
    expect(pageBase({ origin: "http://127.0.0.1:8000", pathname: "/secure/" })).toBe("http://127.0.0.1:8000/secure");
    expect(pageBase({ origin: "http://h", pathname: "/secure/index.html" })).toBe("http://h/secure");
  });
});
