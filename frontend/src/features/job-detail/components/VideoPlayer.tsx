import type { Ref } from "react";
import { useAuthedMedia } from "../../../lib/useAuthedMedia";

/** `videoUrl` null means the server has no video for this job (e.g. a URL job whose download
 *  was not kept); undefined means "not known yet", so the conventional path is tried.
 *  `videoRef` lets the page seek the player (transcript lines, logo times). */
export function VideoPlayer({
  jobId,
  videoUrl,
  poster,
  videoRef,
}: {
  jobId: string;
  videoUrl?: string | null;
  poster?: string;
  videoRef?: Ref<HTMLVideoElement>;
}) {
  const path = videoUrl === null ? null : (videoUrl ?? `/jobs/${encodeURIComponent(jobId)}/video`);
  const src = useAuthedMedia(path);
  const posterSrc = useAuthedMedia(poster);
  if (path === null) return <p className="muted">No video stored for this job.</p>;
  if (!src) return <p className="muted">Loading video…</p>;
  return (
    <video ref={videoRef} className="video" controls preload="metadata" src={src} poster={posterSrc} aria-label="Ad video">
      Your browser cannot play this video.
    </video>
  );
}
