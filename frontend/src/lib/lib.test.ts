import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv";
import { categoryPath, displayText, formatTimestamp, shortId } from "./format";
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
  it("shows loosely typed JSON values as text, never as [object Object]", () => {
    expect(displayText("ocr")).toBe("ocr");
    expect(displayText(12)).toBe("12");
    expect(displayText(false)).toBe("false");
    expect(displayText({ loc: ["body"], msg: "bad" })).toBe('{"loc":["body"],"msg":"bad"}');
    expect(displayText(null, "—")).toBe("—");
    expect(displayText(undefined)).toBe("");
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
