import type { Job, JobResult } from "../../../api/types";
import { downloadText, toCsv } from "../../../lib/csv";

export const CSV_COLUMNS = [
  "job_id",
  "status",
  "original_name",
  "url",
  "brand",
  "category_id",
  "category_name",
  "parent_category_id",
  "parent_category",
  "industry_id",
  "industry_name",
  "confidence",
  "reasoning",
  "mapper_method",
  "duration_seconds",
  "created_at",
  "updated_at",
  "node",
];

export function resultCsv(job: Job, result?: JobResult): string {
  const row = { ...job, ...(result ?? {}) } as Record<string, unknown>;
  return toCsv([row], CSV_COLUMNS);
}

export function exportResultCsv(job: Job, result?: JobResult): void {
  downloadText(`${job.job_id}.csv`, resultCsv(job, result));
}
