import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AgentTimeline, toAgentInfo, toAgentSteps } from "./AgentTimeline";

// As adclf.pipeline.agent writes them into the explanation.
const STEPS = [
  { index: 1, turn: 1, kind: "tool", tool: "read_text", arguments: { start: 4, end: 6 },
    summary: "2 lines from 1 frames: NIKE | nike.com", thought: "The end card should name the brand.",
    content: "", frames: ["frames/frame_000.jpg"], error: "", seconds: 0.41, model_seconds: 1.2 },
  { index: 2, turn: 2, kind: "error", tool: "read_text", arguments: '{"start": 4, "end": ',
    summary: "error: the arguments are not valid JSON", error: "the arguments are not valid JSON",
    thought: "", content: "", frames: [], seconds: 0, model_seconds: 0.8 },
  { index: 3, turn: 3, kind: "answer", tool: "final_answer",
    arguments: { brand: "Nike", category: "Sportswear", confidence: 0.9, reasoning: "end card" },
    summary: "brand 'Nike', category 'Sportswear', confidence 0.90", thought: "", content: "Done.",
    frames: [], error: "", seconds: 0, model_seconds: 0.5 },
];

describe("AgentTimeline", () => {
  it("shows every step in order with its call, result, thought and frames", () => {
    render(<AgentTimeline steps={toAgentSteps(STEPS)}
      agent={toAgentInfo({ provider: "ollama", model: "qwen3-vl:8b-instruct", max_steps: 8,
        stop: "answered", reason: "answered after 3 turns" })} />);
    const items = screen.getAllByTestId("agent-step");
    expect(items).toHaveLength(3);
    const step = (i: number): HTMLElement => {
      const el = items[i];
      if (!el) throw new Error(`no step ${i + 1}`);
      return el;
    };
    expect(step(0)).toHaveTextContent("1. turn 1 read_text(start=4, end=6)");
    expect(step(0)).toHaveTextContent("Result: 2 lines from 1 frames: NIKE | nike.com");
    expect(within(step(0)).getByText("The end card should name the brand.")).toBeInTheDocument();
    expect(step(0)).toHaveTextContent("Frames: frames/frame_000.jpg");
    expect(step(0)).toHaveTextContent("model 1.20 s · tool 0.41 s");
    // a malformed call is shown as sent, marked as an error
    expect(step(1)).toHaveTextContent('read_text({"start": 4, "end": )');
    expect(step(1).className).toContain("agent-step-error");
    expect(step(2)).toHaveTextContent('final_answer(brand="Nike", category="Sportswear"');
    expect(step(2)).toHaveTextContent("Said: Done.");
    expect(screen.getByTestId("agent-summary")).toHaveTextContent("ollama qwen3-vl:8b-instruct · up to 8 turns · answered after 3 turns");
  });

  it("renders nothing for a pipeline job and tolerates loose data", () => {
    const { container } = render(<AgentTimeline steps={toAgentSteps(undefined)} />);
    expect(container).toBeEmptyDOMElement();
    const steps = toAgentSteps([{ tool: "lookup_brand", arguments: [1, 2] }, null]);
    expect(steps.map((s) => [s.index, s.kind, s.arguments])).toEqual([[1, "tool", null], [2, "tool", null]]);
    expect(toAgentInfo("x")).toBeNull();
  });
});
