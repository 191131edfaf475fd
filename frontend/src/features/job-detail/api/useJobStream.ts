import { useEffect, useRef, useState } from "react";
import { ApiError, apiUrl } from "../../../api/client";
import type { Job } from "../../../api/types";
import { displayText } from "../../../lib/format";
import { fetchJob } from "./jobDetail";

export type StreamState = {
  job: Job | undefined;
  /** "live" while the EventSource is open, "done" after `complete`, "polling" as a fallback. */
  mode: "connecting" | "live" | "done" | "polling";
  error: string | null;
};

const FINAL = new Set(["completed", "failed"]);

/**
 * The job, kept current by `/jobs/{id}/stream` (SSE `update` with the job JSON, `complete` at
 * the end). If the stream cannot be opened (e.g. a proxy strips SSE) it falls back to polling
 * so the page still converges.
 */
export function useJobStream(jobId: string): StreamState {
  const [state, setState] = useState<StreamState>({ job: undefined, mode: "connecting", error: null });
  const finished = useRef(false);

  useEffect(() => {
    finished.current = false;
    let source: EventSource | undefined;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const controller = new AbortController();

    const apply = (job: Job) => {
      if (cancelled) return;
      if (FINAL.has(job.status)) finished.current = true;
      setState((s) => ({ ...s, job, error: null, mode: finished.current ? "done" : s.mode }));
    };

    const poll = async () => {
      try {
        const job = await fetchJob(jobId, controller.signal);
        apply(job);
        if (!finished.current && !cancelled) pollTimer = setTimeout(() => void poll(), 2000);
      } catch (e) {
        if (cancelled) return;
        setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) }));
        // A deleted or unknown job will not come back; anything else (network, 503) may.
        if (!(e instanceof ApiError && e.status === 404)) pollTimer = setTimeout(() => void poll(), 4000);
      }
    };

    // One immediate fetch so the page renders even before the first SSE event arrives, and so
    // a missing job shows its 404 message.
    fetchJob(jobId, controller.signal)
      .then(apply)
      .catch((e: unknown) => {
        if (!cancelled) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) }));
      });

    if (typeof EventSource === "undefined") {
      setState((s) => ({ ...s, mode: "polling" }));
      pollTimer = setTimeout(() => void poll(), 2000);
      return () => {
        cancelled = true;
        controller.abort();
        if (pollTimer) clearTimeout(pollTimer);
      };
    }
    let errors = 0;
    source = new EventSource(apiUrl(`/jobs/${encodeURIComponent(jobId)}/stream`, { tokenInQuery: true }));
    source.addEventListener("open", () => {
      errors = 0;
      if (!cancelled) setState((s) => ({ ...s, mode: finished.current ? "done" : "live" }));
    });
    source.addEventListener("update", (ev) => {
      try {
        apply(JSON.parse((ev as MessageEvent<string>).data) as Job);
      } catch {
        /* a malformed frame is skipped; the next one carries the full job again */
      }
    });
    source.addEventListener("complete", (ev) => {
      finished.current = true;
      const data = (ev as MessageEvent<string>).data;
      try {
        if (data) apply(JSON.parse(data) as Job);
      } catch {
        /* `complete` may carry no JSON */
      }
      source?.close();
      // Fetch once more: the final row (result fields) is the source of truth.
      fetchJob(jobId, controller.signal).then(apply).catch(() => undefined);
      if (!cancelled) setState((s) => ({ ...s, mode: "done" }));
    });
    source.addEventListener("error", (ev) => {
      // The server's own `event: error` (e.g. the job was deleted) carries JSON; a dropped
      // connection is a bare Event.
      const data = (ev as MessageEvent<unknown>).data;
      if (typeof data === "string" && data) {
        let detail = data;
        try {
          detail = displayText((JSON.parse(data) as { detail?: unknown }).detail ?? data);
        } catch {
          /* plain text */
        }
        finished.current = true;
        source?.close();
        if (!cancelled) setState((s) => ({ ...s, error: detail, mode: "done" }));
        return;
      }
      errors += 1;
      // EventSource retries by itself; after repeated failures (or once the job is final) stop
      // and poll instead, so a server without SSE support still gets a live page.
      if (finished.current || errors >= 3 || source?.readyState === EventSource.CLOSED) {
        source?.close();
        source = undefined;
        if (!finished.current && !cancelled) {
          setState((s) => ({ ...s, mode: "polling" }));
          void poll();
        }
      }
    });

    return () => {
      cancelled = true;
      controller.abort();
      source?.close();
      if (pollTimer) clearTimeout(pollTimer);
    };
  }, [jobId]);

  return state;
}
