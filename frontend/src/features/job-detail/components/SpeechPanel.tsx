import type { SpeechLine } from "../../../api/types";
import { formatPercent } from "../../../lib/format";
import { absentNote, formatClock } from "./evidence";

/**
 * The voice-over transcript. Each line is a button that moves the job's video to where the line
 * starts (`onSeek`); without a video the lines are plain text.
 */
export function SpeechPanel({
  lines,
  note,
  final,
  onSeek,
}: {
  lines: SpeechLine[];
  note?: string;
  final: boolean;
  onSeek?: (seconds: number) => void;
}) {
  if (lines.length === 0) {
    return (
      <p className="muted" data-testid="speech-note">
        {note ? absentNote("speech", note, /\bspeech\b/i) : final ? "No speech recognised." : "No speech transcribed yet."}
      </p>
    );
  }
  return (
    <>
      <ol className="transcript" data-testid="speech-lines" aria-label="Transcript">
        {lines.map((line, i) => {
          const body = (
            <>
              <time className="transcript-time mono" dateTime={`PT${line.start.toFixed(1)}S`}>
                {formatClock(line.start)}
              </time>
              <span className="transcript-text">{line.text}</span>
              <span className="transcript-conf muted small" title="Recognition confidence">
                {formatPercent(line.confidence)}
              </span>
            </>
          );
          return (
            <li key={`${line.start}-${i}`}>
              {onSeek ? (
                <button
                  type="button"
                  className="transcript-line"
                  onClick={() => onSeek(line.start)}
                  title={`Play the video from ${formatClock(line.start)}`}
                >
                  {body}
                </button>
              ) : (
                <div className="transcript-line">{body}</div>
              )}
            </li>
          );
        })}
      </ol>
      {note && <p className="muted small">{note}</p>}
    </>
  );
}
