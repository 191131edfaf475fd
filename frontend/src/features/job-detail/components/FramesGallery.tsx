import type { Frame } from "../../../api/types";
import { formatTimestamp } from "../../../lib/format";
import { useAuthedMedia } from "../../../lib/useAuthedMedia";

function FrameFigure({ frame }: { frame: Frame }) {
  const src = useAuthedMedia(frame.url);
  return (
    <figure className="frame">
      <a href={src} target="_blank" rel="noreferrer" aria-label={`Open frame at ${formatTimestamp(frame.timestamp)}`}>
        {src ? <img src={src} alt={`Frame at ${formatTimestamp(frame.timestamp)}`} loading="lazy" /> : <span className="poster-empty" />}
      </a>
      <figcaption>
        <span>{formatTimestamp(frame.timestamp)}</span>
        <span className="muted small frame-name" title={frame.name}>
          {frame.name.replace(/^frames\//, "")}
        </span>
      </figcaption>
    </figure>
  );
}

export function FramesGallery({ frames }: { frames: Frame[] }) {
  if (frames.length === 0) return <p className="muted">No frames extracted yet.</p>;
  return (
    <div className="frames" data-testid="frames">
      {frames.map((f) => (
        <FrameFigure key={f.name} frame={f} />
      ))}
    </div>
  );
}
