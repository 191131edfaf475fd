import { displayText } from "../../../lib/format";

/** One recorded step of an agent job (`explanation.agent_steps`, written by adclf.pipeline.agent). */
export type AgentStep = {
  index: number;
  turn: number;
  kind: string; // tool | answer | reply | error
  tool: string;
  arguments: Record<string, unknown> | string | null;
  summary: string;
  thought: string;
  content: string;
  error: string;
  frames: string[];
  seconds: number;
  modelSeconds: number;
};

/** How the agent ended (`explanation.agent`). */
export type AgentInfo = { provider: string; model: string; maxSteps: number; stop: string; reason: string };

const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : displayText(v));
const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** The API types the steps loosely (free-form dicts): read them defensively. */
export function toAgentSteps(raw: unknown): AgentStep[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item, i) => {
    const o = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
    const args = o.arguments;
    return {
      index: num(o.index) || i + 1,
      turn: num(o.turn),
      kind: str(o.kind) || "tool",
      tool: str(o.tool),
      arguments: args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>)
        : typeof args === "string" ? args : null,
      summary: str(o.summary),
      thought: str(o.thought),
      content: str(o.content),
      error: str(o.error),
      frames: Array.isArray(o.frames) ? o.frames.map(str) : [],
      seconds: num(o.seconds),
      modelSeconds: num(o.model_seconds),
    };
  });
}

export function toAgentInfo(raw: unknown): AgentInfo | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  return { provider: str(o.provider), model: str(o.model), maxSteps: num(o.max_steps), stop: str(o.stop),
    reason: str(o.reason) };
}

function formatArguments(args: AgentStep["arguments"]): string {
  if (args === null) return "";
  if (typeof args === "string") return args; // unreadable as sent: shown as is
  return Object.entries(args).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : displayText(v)}`)
    .join(", ");
}

// A vertical list of the attempt cards' look: answers edged like an accepted attempt, errors like a
// rejected one (styles.css is shared; nothing new is added there).
const LIST = { listStyle: "none", padding: 0, margin: 0, display: "grid", gap: "0.5rem" } as const;
const EDGE: Record<string, string> = { answer: "attempt-accepted", error: "attempt-rejected" };
const KIND_BADGE: Record<string, string> = { answer: "badge-completed", error: "badge-failed", reply: "badge-queued" };

/**
 * The agent's investigation as a timeline: one entry per tool call (or reply without one), in order,
 * with the turn it belongs to, the call, what it found, and the model's thought and words at that turn.
 */
export function AgentTimeline({ steps, agent }: { steps: AgentStep[]; agent?: AgentInfo | null }) {
  if (steps.length === 0) return null;
  return (
    <div className="agent-timeline" data-testid="agent-timeline">
      {agent && (
        <p className="small" data-testid="agent-summary">
          <span className="muted">Agent:</span> {agent.provider} {agent.model && <code>{agent.model}</code>}
          {agent.maxSteps > 0 && <> · up to {agent.maxSteps} turns</>}
          {agent.reason && <> · {agent.reason}</>}
        </p>
      )}
      <ol className="agent-steps" aria-label="Agent steps" style={LIST}>
        {steps.map((s) => (
          <li key={s.index} className={`card attempt agent-step agent-step-${s.kind} ${EDGE[s.kind] ?? ""}`}
            data-testid="agent-step">
            <div className="attempt-head">
              <strong>
                {s.index}. <span className="muted small">turn {s.turn}</span> {s.tool || s.kind}
                {s.arguments !== null && <code className="small">({formatArguments(s.arguments)})</code>}
              </strong>
              <span className={`badge ${KIND_BADGE[s.kind] ?? "badge-processing"}`}>{s.kind}</span>
            </div>
            {s.thought && (
              <details>
                <summary className="small muted">Thought</summary>
                <p className="small">{s.thought}</p>
              </details>
            )}
            {s.content && <p className="small"><span className="muted">Said:</span> {s.content}</p>}
            {s.summary && <p className="small"><span className="muted">Result:</span> {s.summary}</p>}
            {s.error && !s.summary.includes(s.error) && (
              <p className="small error-text"><span className="muted">Error:</span> {s.error}</p>
            )}
            {s.frames.length > 0 && <p className="small muted">Frames: {s.frames.join(", ")}</p>}
            {(s.seconds > 0 || s.modelSeconds > 0) && (
              <p className="small muted">
                {s.modelSeconds > 0 && <>model {s.modelSeconds.toFixed(2)} s</>}
                {s.modelSeconds > 0 && s.seconds > 0 && " · "}
                {s.seconds > 0 && <>tool {s.seconds.toFixed(2)} s</>}
              </p>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
