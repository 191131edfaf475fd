import { apiUrl, errorMessage, ApiError } from "../../../api/client";
import { authHeaders, requireAuth } from "../../../api/auth";
import type { Submitted } from "../../../api/types";
import type { SubmitInput } from "./jobs";

export type UploadHandle = { promise: Promise<Submitted>; abort: () => void };

/**
 * POST /jobs/upload as multipart (file, mode, priority, settings as a JSON string). XMLHttpRequest rather
 * than fetch because only XHR reports upload progress.
 */
export function uploadFile(file: File, input: SubmitInput, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<Submitted>((resolve, reject) => {
    xhr.open("POST", apiUrl("/jobs/upload"));
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(xhr.response as Submitted);
      } else {
        if (xhr.status === 401) requireAuth();
        reject(new ApiError(errorMessage(xhr.response, xhr.status), xhr.status));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError("Network error during upload", 0)));
    xhr.addEventListener("abort", () => reject(new ApiError("Upload cancelled", 0)));
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("mode", input.mode);
    if (input.priority) form.append("priority", input.priority);
    form.append("settings", JSON.stringify(input.settings));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
