import { describe, expect, it } from "vitest";
import { modelNames } from "./jobs";

describe("Ollama models", () => {
  it("reads Ollama model lists in either shape", () => {
    expect(modelNames({ models: [{ name: "qwen3-vl:8b" }, { model: "llava" }] })).toEqual(["qwen3-vl:8b", "llava"]);
    expect(modelNames(["a", "a", "b"])).toEqual(["a", "b"]);
    expect(modelNames({ error: "unreachable" })).toEqual([]);
  });
});
