import type { Job } from "../../../api/types";

// The pipeline's stage order (adclf/jobs.py Stage); "re-queued" jobs restart from "queued".
export const STAGES = [
  ["queued", "Queued"],
  ["claim", "Claimed"],
  ["ingest", "Ingest"],
  ["frame_extract", "Frames"],
  ["ocr", "OCR"],
  ["classify", "Classify"],
  ["map", "Map"],
  ["persist", "Persist"],
  ["completed", "Done"],
] as const;

type StepState = "done" | "current" | "pending" | "failed";

export function stepStates(job: Pick<Job, "stage" | "status">): StepState[] {
  const failed = job.status === "failed" || job.stage === "failed";
  const idx = STAGES.findIndex(([s]) => s === job.stage);
  if (job.status === "completed") return STAGES.map(() => "done");
  return STAGES.map((_, i) => {
    if (idx < 0) return failed && i === 0 ? "failed" : "pending";
    if (i < idx) return "done";
    if (i === idx) return failed ? "failed" : "current";
    return "pending";
  });
}

export function StageTimeline({ job }: { job: Job }) {
  const states = stepStates(job);
  return (
    <ol className="timeline" aria-label="Pipeline stages">
      {STAGES.map(([key, label], i) => (
        <li
          key={key}
          className={`step step-${states[i]}`}
          aria-current={states[i] === "current" ? "step" : undefined}
          title={label}
        >
          <span className="step-dot" aria-hidden="true" />
          <span className="step-label">{label}</span>
          <span className="sr-only"> ({states[i]})</span>
        </li>
      ))}
    </ol>
  );
}
