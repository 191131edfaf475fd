import type { Attempt } from "../../../api/types";

function resultSummary(result: Attempt["result"]): string {
  if (!result || typeof result !== "object") return "";
  const parts = [result.brand, result.category].filter((v) => typeof v === "string" && v) as string[];
  if (typeof result.confidence === "number") parts.push(`${Math.round(result.confidence * 100)}%`);
  return parts.join(" · ");
}

export function AttemptCards({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p className="muted">No attempts recorded.</p>;
  return (
    <ol className="attempts" data-testid="attempts">
      {attempts.map((a, i) => (
        <li key={i} className={`card attempt ${a.accepted ? "attempt-accepted" : "attempt-rejected"}`}>
          <div className="attempt-head">
            <strong>
              {i + 1}. {a.type}
            </strong>
            <span className={`badge ${a.accepted ? "badge-completed" : "badge-failed"}`}>
              {a.accepted ? "Accepted" : "Rejected"}
            </span>
          </div>
          {a.trigger && (
            <p className="small">
              <span className="muted">Trigger:</span> {a.trigger}
            </p>
          )}
          {resultSummary(a.result) && (
            <p className="small">
              <span className="muted">Result:</span> {resultSummary(a.result)}
            </p>
          )}
          {a.reason && (
            <p className="small">
              <span className="muted">Reason:</span> {a.reason}
            </p>
          )}
          {a.frames && a.frames.length > 0 && (
            <p className="small muted">Frames: {a.frames.join(", ")}</p>
          )}
          {a.ocr_excerpt && <pre className="ocr-excerpt">{a.ocr_excerpt}</pre>}
        </li>
      ))}
    </ol>
  );
}
