import { useEffect, useState } from "react";
import { apiUrl } from "../api/client";
import { authHeaders, getToken } from "../api/auth";

// A blob URL is revoked this long after its element let go of it: a media element that was
// just detached or re-pointed may still be reading it, and a revoked URL logs a load error.
const REVOKE_DELAY_MS = 5000;

/**
 * A URL an <img>/<video> can load. Without a token the API URL is used directly (streaming,
 * range requests). With a token the browser cannot add an Authorization header to media
 * elements, so the file is fetched with the header and shown from a blob URL.
 */
export function useAuthedMedia(path: string | null | undefined): string | undefined {
  const token = getToken();
  // The blob is kept with the path it was made for, so a new path never renders the previous
  // path's URL (revoked in the effect's cleanup) while its own file is still being fetched.
  const [blob, setBlob] = useState<{ path: string; url: string }>();

  useEffect(() => {
    if (!path || !token) return;
    const controller = new AbortController();
    let created: string | undefined;
    fetch(apiUrl(path), { headers: authHeaders(), signal: controller.signal })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((data) => {
        created = URL.createObjectURL(data);
        setBlob({ path, url: created });
      })
      .catch(() => {
        if (!controller.signal.aborted) setBlob(undefined);
      });
    return () => {
      controller.abort();
      const old = created;
      if (old) setTimeout(() => URL.revokeObjectURL(old), REVOKE_DELAY_MS);
    };
  }, [path, token]);

  if (!path) return undefined;
  if (!token) return apiUrl(path);
  return blob?.path === path ? blob.url : undefined;
}
