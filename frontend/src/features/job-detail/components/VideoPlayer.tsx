import { useAuthedMedia } from "../../../lib/useAuthedMedia";

export function VideoPlayer({ jobId, poster }: { jobId: string; poster?: string }) {
  const src = useAuthedMedia(`/jobs/${encodeURIComponent(jobId)}/video`);
  const posterSrc = useAuthedMedia(poster);
  if (!src) return <p className="muted">Loading video…</p>;
  return (
    <video className="video" controls preload="metadata" src={src} poster={posterSrc} aria-label="Ad video">
      Your browser cannot play this video.
    </video>
  );
}
