import type { Job } from "../../../api/types";

// The pipeline's stage order (adclf/jobs.py Stage); "re-queued" jobs restart from "queued".
export const STAGES = [
  ["queued", "Queued"],
  ["claim", "Claimed"],
  ["ingest", "Ingest"],
  ["frame_extract", "Frames"],
  ["ocr", "OCR"],
  ["logos", "Logos"],
  ["asr", "Speech"],
  ["classify", "Classify"],
  ["map", "Map"],
  ["persist", "Persist"],
  ["completed", "Done"],
] as const;

type StepState = "done" | "current" | "pending" | "failed";

/**
 * State of each step. A failed job reports stage "failed"; `lastStage` (from the event log) says
 * where it stopped, so the failure is drawn on that step.
 */
export function stepStates(job: Pick<Job, "stage" | "status">, lastStage?: string): StepState[] {
  const failed = job.status === "failed" || job.stage === "failed";
  const stage = failed && job.stage === "failed" && lastStage ? lastStage : job.stage;
  const idx = STAGES.findIndex(([s]) => s === stage);
  if (job.status === "completed") return STAGES.map(() => "done");
  return STAGES.map((_, i) => {
    if (idx < 0) return failed && i === 0 ? "failed" : "pending";
    if (i < idx) return "done";
    if (i === idx) return failed ? "failed" : "current";
    return "pending";
  });
}

export function StageTimeline({ job, lastStage }: { job: Job; lastStage?: string }) {
  const states = stepStates(job, lastStage);
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
