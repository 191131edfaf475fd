import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("env", () => {
  it("defaults to same origin and trims a trailing slash", () => {
    expect(parseEnv({}).apiBaseUrl).toBe("");
    expect(parseEnv({ VITE_API_BASE_URL: "http://127.0.0.1:8000/" }).apiBaseUrl).toBe("http://127.0.0.1:8000");
  });
  it("rejects a value that is not an http(s) URL", () => {
    expect(() => parseEnv({ VITE_API_BASE_URL: "127.0.0.1:8000" })).toThrow(/VITE_API_BASE_URL/);
  });
});
