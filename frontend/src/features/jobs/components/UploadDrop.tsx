import { useId, useRef, useState, type DragEvent } from "react";
import { formatBytes } from "../../../lib/format";
import type { Submitted } from "../../../api/types";
import { uploadFile } from "../api/upload";
import type { SubmitInput } from "../api/jobs";

type Item = {
  key: string;
  file: File;
  progress: number;
  state: "pending" | "uploading" | "done" | "error";
  message?: string;
  jobId?: string;
};

const VIDEO_EXT = /\.(mp4|mov|avi|mkv|webm|m4v)$/i;

export function UploadDrop({
  getInput,
  onSubmitted,
}: {
  getInput: (count: number) => SubmitInput;
  onSubmitted: (jobs: Submitted[]) => void;
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const aborts = useRef(new Map<string, () => void>());

  const add = (files: FileList | File[]) => {
    const list = Array.from(files);
    setItems((prev) => [
      ...prev.filter((i) => i.state !== "done"),
      ...list.map((file) => ({
        key: `${file.name}-${file.size}-${file.lastModified}-${Math.random()}`,
        file,
        progress: 0,
        state: VIDEO_EXT.test(file.name) ? ("pending" as const) : ("error" as const),
        message: VIDEO_EXT.test(file.name) ? undefined : "Not a video file (.mp4 .mov .avi .mkv .webm .m4v)",
      })),
    ]);
  };

  const update = (key: string, patch: Partial<Item>) =>
    setItems((prev) => prev.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  const start = async () => {
    setBusy(true);
    const todo = items.filter((i) => i.state === "pending");
    const input = getInput(todo.length);
    const submitted: Submitted[] = [];
    // One at a time: parallel uploads would split the bandwidth and make every bar crawl.
    for (const item of todo) {
      update(item.key, { state: "uploading" });
      try {
        const handle = uploadFile(item.file, input, (p) => update(item.key, { progress: p }));
        aborts.current.set(item.key, handle.abort);
        const res = await handle.promise.finally(() => aborts.current.delete(item.key));
        update(item.key, { state: "done", progress: 1, jobId: res.job_id });
        submitted.push(res);
      } catch (e) {
        update(item.key, { state: "error", message: e instanceof Error ? e.message : String(e) });
      }
    }
    setBusy(false);
    if (submitted.length) onSubmitted(submitted);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) add(e.dataTransfer.files);
  };

  const pending = items.filter((i) => i.state === "pending").length;
  return (
    <div className="upload">
      <div
        className={`dropzone${dragging ? " dropzone-active" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop video files here, or</p>
        <button type="button" className="btn" onClick={() => inputRef.current?.click()}>
          Choose files…
        </button>
        <input
          ref={inputRef}
          id={`${id}-file`}
          hidden
          type="file"
          multiple
          accept="video/*,.mp4,.mov,.avi,.mkv,.webm,.m4v"
          aria-label="Video files to upload"
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) add(e.target.files);
            e.target.value = "";
          }}
        />
      </div>
      {items.length > 0 && (
        <ul className="upload-list" aria-label="Files to upload">
          {items.map((i) => (
            <li key={i.key} className={`upload-item upload-${i.state}`}>
              <span className="upload-name">{i.file.name}</span>
              <span className="muted small">{formatBytes(i.file.size)}</span>
              <progress max={1} value={i.progress} aria-label={`Upload progress of ${i.file.name}`} />
              <span className="small">
                {i.state === "uploading"
                  ? `${Math.round(i.progress * 100)}%`
                  : i.state === "done"
                    ? "Uploaded"
                    : i.state === "error"
                      ? i.message
                      : "Ready"}
              </span>
              {i.state === "uploading" && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => aborts.current.get(i.key)?.()}
                  aria-label={`Cancel upload of ${i.file.name}`}
                >
                  Cancel
                </button>
              )}
              {i.state !== "uploading" && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => setItems((prev) => prev.filter((x) => x.key !== i.key))}
                  aria-label={`Remove ${i.file.name}`}
                >
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="btn btn-primary" disabled={busy || pending === 0} onClick={() => void start()}>
        {busy ? "Uploading…" : pending === 0 ? "Upload files" : `Upload ${pending} file${pending === 1 ? "" : "s"}`}
      </button>
    </div>
  );
}
