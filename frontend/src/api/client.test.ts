import { describe, expect, it } from "vitest";
import { pageBase } from "./client";

describe("page base", () => {
  it("keeps the path prefix the dashboard was served under", () => {
    expect(pageBase({ origin: "http://127.0.0.1:8000", pathname: "/" })).toBe("http://127.0.0.1:8000");
    expect(pageBase({ origin: "http://127.0.0.1:8000", pathname: "/secure/" })).toBe("http://127.0.0.1:8000/secure");
    expect(pageBase({ origin: "http://h", pathname: "/secure/index.html" })).toBe("http://h/secure");
  });
});
