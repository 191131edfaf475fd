import { useCallback, useRef, useState } from "react";
import { toAttempt } from "../../../api/types";
import { ErrorBanner, Loading, ProgressBar, Section, StatusBadge } from "../../../components/ui";
import { displayText, formatDuration, formatTime } from "../../../lib/format";
import { fetchArtifacts } from "../../../lib/artifacts";
import { Link, navigate } from "../../../lib/router";
import { usePolling } from "../../../lib/usePolling";
import { deleteJob, fetchEvents, fetchExplanation, fetchResult } from "../api/jobDetail";
import { useJobStream } from "../api/useJobStream";
import { AgentTimeline, toAgentInfo, toAgentSteps } from "./AgentTimeline";
import { AttemptCards } from "./AttemptCards";
import { BrandPanel } from "./BrandPanel";
import { exportResultCsv } from "./exportCsv";
import { FramesGallery } from "./FramesGallery";
import { LogoList } from "./LogoList";
import { MappingPanel } from "./MappingPanel";
import { SpeechPanel } from "./SpeechPanel";
import { StageTimeline } from "./StageTimeline";
import { VerdictBar } from "./VerdictBar";
import { VideoPlayer } from "./VideoPlayer";

type EventRow = { ts: string; stage: string; message: string };

function eventRow(e: unknown): EventRow {
  if (e && typeof e === "object") {
    const o = e as Record<string, unknown>;
    const ts = displayText(o.ts ?? o.timestamp);
    const d = new Date(ts);
    return {
      ts: Number.isNaN(d.getTime()) ? ts : d.toLocaleTimeString(undefined, { hour12: false }),
      stage: displayText(o.stage),
      message: displayText(o.message ?? o.detail),
    };
  }
  return { ts: "", stage: "", message: String(e) };
}

function lastKnownStage(events: unknown[] | undefined): string | undefined {
  const stages = (events ?? []).map((e) => eventRow(e).stage).filter((s) => s && s !== "failed");
  return stages.at(-1);
}

export function JobDetailPage({ jobId }: { jobId: string }) {
  const { job, mode, error } = useJobStream(jobId);
  const final = job?.status === "completed" || job?.status === "failed";
  const stageKey = `${job?.status}/${job?.stage}`;
  // Evidence grows stage by stage; refetch when the stage changes, not on every progress tick.
  const artifacts = usePolling((s) => fetchArtifacts(jobId, s), 0, [jobId, stageKey]);
  const events = usePolling((s) => fetchEvents(jobId, s), 0, [jobId, stageKey]);
  const explanation = usePolling((s) => (final ? fetchExplanation(jobId, s) : Promise.resolve(undefined)), 0, [
    jobId,
    final,
  ]);
  const result = usePolling((s) => (job?.status === "completed" ? fetchResult(jobId, s) : Promise.resolve(undefined)), 0, [
    jobId,
    job?.status,
  ]);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  // Transcript lines and logo times move the player; it is paused or playing as the user left it.
  const seek = useCallback((seconds: number) => {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = seconds;
    video.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, []);

  if (!job) {
    return (
      <div className="page">
        <p>
          <Link to="/jobs">← Jobs</Link>
        </p>
        <ErrorBanner message={error} />
        {!error && <Loading label="Loading job…" />}
      </div>
    );
  }

  const remove = async () => {
    if (!window.confirm(`Delete job ${job.job_id}?`)) return;
    try {
      await deleteJob(job.job_id);
      navigate("/jobs");
    } catch (e) {
      setDeleteError(e instanceof Error ? e.message : String(e));
    }
  };

  const frames = artifacts.data?.frames ?? [];
  const reasoning = result.data?.reasoning;
  const art = artifacts.data;
  const canSeek = art?.video_url === null ? undefined : seek;
  return (
    <div className="page job-detail">
      <p>
        <Link to="/jobs">← Jobs</Link>
      </p>
      <div className="detail-head">
        <div>
          <h1 className="job-title">{job.original_name || job.url || job.job_id}</h1>
          <p className="muted small mono">{job.job_id}</p>
        </div>
        <div className="detail-actions">
          <StatusBadge status={job.status} />
          <span className="muted small" data-testid="stream-mode">
            {mode === "live" ? "● live" : mode === "polling" ? "polling" : mode === "done" ? "final" : "connecting"}
          </span>
          <button type="button" className="btn" onClick={() => exportResultCsv(job, result.data)} disabled={!final}>
            Export CSV
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void remove()}>
            Delete
          </button>
        </div>
      </div>
      <ErrorBanner message={deleteError ?? error} />

      <Section title="Progress" id="progress">
        <StageTimeline job={job} lastStage={lastKnownStage(events.data)} />
        <ProgressBar value={job.progress ?? 0} label="Job progress" />
        <p className="small">
          <span data-testid="stage">{job.stage}</span>
          {job.stage_detail ? ` — ${job.stage_detail}` : ""} · {Math.round(job.progress ?? 0)}%
          {job.duration_seconds != null && ` · ${formatDuration(job.duration_seconds)}`}
        </p>
        {job.error && (
          <p className="error-text" role="alert">
            {job.error}
          </p>
        )}
        <p className="muted small">
          Node {job.node} · mode {job.mode} · created {formatTime(job.created_at)} · updated {formatTime(job.updated_at)}
        </p>
      </Section>

      <VerdictBar job={job} />
      <Section title="Why this brand" id="why-brand">
        <BrandPanel
          job={job}
          evidence={explanation.data?.brand}
          reasoning={reasoning}
          notes={{ speech: art?.speech_note, logos: art?.logo_note }}
          final={final}
          // The reason for an unknown brand is in the result's reasoning: wait for both.
          loading={
            (!explanation.data && !explanation.error) ||
            (job.status === "completed" && !result.data && !result.error)
          }
        />
      </Section>
      {reasoning && (
        <Section title="Reasoning" id="reasoning">
          <p className="reasoning">{reasoning}</p>
        </Section>
      )}

      <div className="detail-grid">
        <Section title="Video" id="video">
          <VideoPlayer
            jobId={job.job_id}
            videoUrl={art ? art.video_url : undefined}
            poster={frames[0]?.url}
            videoRef={videoRef}
          />
        </Section>
        <Section title="OCR text" id="ocr">
          {artifacts.data?.ocr_text ? (
            <pre className="ocr" data-testid="ocr-text">
              {artifacts.data.ocr_text}
            </pre>
          ) : (
            <p className="muted">No text read{final ? "." : " yet."}</p>
          )}
        </Section>
        <Section title="Speech" id="speech">
          <SpeechPanel lines={art?.speech_lines ?? []} note={art?.speech_note} final={final} onSeek={canSeek} />
        </Section>
      </div>

      <Section title={`Frames (${frames.length})`} id="frames">
        <ErrorBanner message={artifacts.error && !final ? null : artifacts.error} />
        <FramesGallery frames={frames} logos={art?.logos ?? []} />
        <h3 className="subhead">Logos</h3>
        <LogoList logos={art?.logos ?? []} note={art?.logo_note} final={final} onSeek={canSeek} />
      </Section>

      <Section title="Category mapping" id="mapping">
        <MappingPanel result={result.data} top={artifacts.data?.mapper_top ?? []} timings={explanation.data?.timings} />
      </Section>

      <Section title="Explanation" id="explanation">
        {explanation.data ? (
          <>
            <AgentTimeline
              steps={toAgentSteps((explanation.data as Record<string, unknown>).agent_steps)}
              agent={toAgentInfo((explanation.data as Record<string, unknown>).agent)}
            />
            <AttemptCards attempts={(explanation.data.attempts ?? []).map(toAttempt)} />
          </>
        ) : (
          <p className="muted">{final ? (explanation.error ?? "Loading…") : "Available when the job finishes."}</p>
        )}
      </Section>

      <Section title="Events" id="events">
        {events.data && events.data.length > 0 ? (
          <ol className="events mono small" data-testid="events">
            {events.data.map(eventRow).map((e, i) => (
              <li key={i}>
                <time className="muted">{e.ts}</time>
                <span className="event-stage">{e.stage}</span>
                <span className="event-message">{e.message}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">{events.loading ? "Loading…" : events.error ?? "No events."}</p>
        )}
      </Section>

      <Section title="Raw JSON" id="raw">
        <details>
          <summary>Show job, result, artifacts and explanation as JSON</summary>
          <pre className="raw-json">
            {JSON.stringify(
              { job, result: result.data, artifacts: artifacts.data, explanation: explanation.data },
              null,
              2,
            )}
          </pre>
        </details>
      </Section>
    </div>
  );
}
