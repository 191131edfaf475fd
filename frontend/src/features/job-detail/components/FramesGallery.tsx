import { useState } from "react";
import type { Frame, Logo } from "../../../api/types";
import { formatTimestamp } from "../../../lib/format";
import { useAuthedMedia } from "../../../lib/useAuthedMedia";
import { aspectFromBox, formatScore, overlayRect } from "./evidence";

/** A detection's box over its frame, in percent of the thumbnail so it scales with it. */
function LogoBox({ logo, frameAspect }: { logo: Logo; frameAspect: number }) {
  if (!logo.box_rel || logo.box_rel.length !== 4) return null;
  const r = overlayRect(logo.box_rel, frameAspect);
  // Near the top edge the label goes inside the box, else it would be cut off.
  const inside = r.top < 12;
  return (
    <span
      className={`logo-box${inside ? " logo-box-label-inside" : ""}`}
      data-testid="logo-box"
      style={{ left: `${r.left}%`, top: `${r.top}%`, width: `${r.width}%`, height: `${r.height}%` }}
    >
      <span className="logo-box-label">
        {logo.brand} {formatScore(logo.score)}
      </span>
    </span>
  );
}

function FrameFigure({ frame, logos }: { frame: Frame; logos: Logo[] }) {
  const src = useAuthedMedia(frame.url);
  // The loaded image knows its shape; until then the detections do (pixel box / relative box).
  const [loadedAspect, setLoadedAspect] = useState<number | null>(null);
  const aspect = loadedAspect ?? logos.map(aspectFromBox).find((a) => a !== null) ?? 16 / 9;
  const at = formatTimestamp(frame.timestamp);
  const seen = logos.map((l) => `${l.brand} ${formatScore(l.score)}`).join(", ");
  return (
    <figure className="frame" data-frame={frame.name}>
      <a href={src} target="_blank" rel="noreferrer" aria-label={`Open frame at ${at}`}>
        {src ? (
          <img
            src={src}
            alt={`Frame at ${at}${seen ? `, logos: ${seen}` : ""}`}
            loading="lazy"
            onLoad={(e) => {
              const img = e.currentTarget;
              if (img.naturalWidth && img.naturalHeight) setLoadedAspect(img.naturalWidth / img.naturalHeight);
            }}
          />
        ) : (
          <span className="poster-empty" />
        )}
        {logos.map((l, i) => (
          <LogoBox key={`${l.key || l.brand}-${i}`} logo={l} frameAspect={aspect} />
        ))}
      </a>
      <figcaption>
        <span>{at}</span>
        <span className="muted small frame-name" title={frame.name}>
          {frame.name.replace(/^frames\//, "")}
        </span>
      </figcaption>
    </figure>
  );
}

/** The API lists frames in extraction order (the tail can come first); people read time order. */
function byTime(frames: Frame[]): Frame[] {
  return [...frames].sort((a, b) => (a.timestamp ?? Infinity) - (b.timestamp ?? Infinity));
}

export function FramesGallery({ frames, logos = [] }: { frames: Frame[]; logos?: Logo[] }) {
  if (frames.length === 0) return <p className="muted">No frames extracted yet.</p>;
  const byFrame = new Map<string, Logo[]>();
  for (const l of logos) {
    if (!l.frame) continue;
    byFrame.set(l.frame, [...(byFrame.get(l.frame) ?? []), l]);
  }
  return (
    <div className="frames" data-testid="frames">
      {byTime(frames).map((f) => (
        <FrameFigure key={f.name} frame={f} logos={byFrame.get(f.name) ?? []} />
      ))}
    </div>
  );
}
