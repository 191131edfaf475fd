import type { Logo } from "../../../api/types";
import { formatTimestamp } from "../../../lib/format";
import { absentNote, formatScore } from "./evidence";

/** Every logo detection, in time order; the time is a button that moves the video there. */
export function LogoList({
  logos,
  note,
  final,
  onSeek,
}: {
  logos: Logo[];
  note?: string;
  final: boolean;
  onSeek?: (seconds: number) => void;
}) {
  if (logos.length === 0) {
    return (
      <p className="muted" data-testid="logo-note">
        {note ? absentNote("logos", note, /\blogos?\b/i) : final ? "No logo recognised." : "No logo recognised yet."}
      </p>
    );
  }
  const sorted = [...logos].sort((a, b) => a.timestamp - b.timestamp);
  return (
    <ul className="logo-list" data-testid="logos">
      {sorted.map((l, i) => (
        <li key={`${l.key || l.brand}-${l.timestamp}-${i}`}>
          <strong>{l.brand}</strong>
          <span className="mono">{formatScore(l.score)}</span>
          {onSeek ? (
            <button
              type="button"
              className="seek-link"
              onClick={() => onSeek(l.timestamp)}
              aria-label={`Show ${l.brand} in the video at ${formatTimestamp(l.timestamp)}`}
            >
              {formatTimestamp(l.timestamp)}
            </button>
          ) : (
            <span>{formatTimestamp(l.timestamp)}</span>
          )}
          {l.source === "user" && <span className="muted small">from your logo gallery</span>}
        </li>
      ))}
    </ul>
  );
}
