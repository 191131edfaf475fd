import { useEffect, useState } from "react";
import { apiUrl } from "../api/client";
import { authHeaders, getToken } from "../api/auth";

/**
 * A URL an <img>/<video> can load. Without a token the API URL is used directly (streaming,
 * range requests). With a token the browser cannot add an Authorization header to media
 * elements, so the file is fetched with the header and shown from a blob URL.
 */
export function useAuthedMedia(path: string | null | undefined): string | undefined {
  const token = getToken();
  const [blobUrl, setBlobUrl] = useState<string>();

  useEffect(() => {
    if (!path || !token) return;
    const controller = new AbortController();
    let created: string | undefined;
    fetch(apiUrl(path), { headers: authHeaders(), signal: controller.signal })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((blob) => {
        created = URL.createObjectURL(blob);
        setBlobUrl(created);
      })
      .catch(() => setBlobUrl(undefined));
    return () => {
      controller.abort();
      if (created) URL.revokeObjectURL(created);
    };
  }, [path, token]);

  if (!path) return undefined;
  if (!token) return apiUrl(path);
  return blobUrl;
}
