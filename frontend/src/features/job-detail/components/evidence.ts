import type { BrandSource, Job, Logo } from "../../../api/types";

/** "01:04.2": transcript times, minutes padded so a column of them lines up. */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const m = Math.floor(tenths / 600);
  const s = (tenths - m * 600) / 10;
  return `${String(m).padStart(2, "0")}:${s.toFixed(1).padStart(4, "0")}`;
}

/** "No speech: no audio track", but "No speech recognised" rather than "No speech: no speech
 *  recognised" when the note already names what is missing. */
export function absentNote(what: string, note: string, names: RegExp): string {
  const text = note.trim();
  return names.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : `No ${what}: ${text}`;
}

export function formatScore(score: number | null | undefined): string {
  return typeof score === "number" && Number.isFinite(score) ? score.toFixed(2) : "—";
}

/** "logo at 16.0 s (McDonald's)", "speech at 14.2 s ('nike dot com')", "end card ('NIKE')".
 *  A logo's text is the brand it matched, not something read, so it is not quoted. */
export function describeSource(src: Pick<BrandSource, "source" | "text" | "timestamp">): string {
  const at = typeof src.timestamp === "number" ? ` at ${src.timestamp.toFixed(1)} s` : "";
  const what = src.source === "logo" ? `(${src.text})` : `('${src.text}')`;
  return `${src.source}${at} ${what}`;
}

/**
 * Why a finished job has no brand. The embedded provider writes "No brand: <reason>; ..." into
 * the reasoning; other providers do not, so the notes of the speech and logo stages are used to
 * say at least what was looked at.
 */
export function unknownBrandReason(
  job: Pick<Job, "status" | "error">,
  reasoning: string | null | undefined,
  notes: { speech?: string; logos?: string } = {},
): string {
  if (job.status === "failed") return `the job failed${job.error ? `: ${job.error.replace(/\.$/, "")}` : ""}`;
  const m = /No brand:\s*(.+?)(?:\s+\(not a brand:|;|\s+→|\.?$)/.exec(reasoning ?? "");
  if (m?.[1]) return m[1];
  const heard = notes.speech ? `the speech (${notes.speech})` : "the speech";
  const seen = notes.logos ? `the logos (${notes.logos})` : "the logos";
  return `no brand named in the on-screen text, ${heard} or ${seen}`;
}

export type Rect = { left: number; top: number; width: number; height: number };

/** The frame's width/height, recovered from a detection's pixel box and its relative box. */
export function aspectFromBox(logo: Pick<Logo, "box" | "box_rel">): number | null {
  const b = logo.box;
  const r = logo.box_rel;
  if (!b || !r || b.length !== 4 || r.length !== 4) return null;
  const relW = r[2]! - r[0]!;
  const relH = r[3]! - r[1]!;
  if (relW <= 0 || relH <= 0) return null;
  const aspect = (b[2]! - b[0]!) / relW / ((b[3]! - b[1]!) / relH);
  return Number.isFinite(aspect) && aspect > 0 ? aspect : null;
}

/**
 * Where a box given as fractions of the frame lands, in percent of the thumbnail box. The
 * thumbnail shows the frame with `object-fit: contain` in a box of `boxAspect`, so a frame of
 * another shape is letterboxed (bars above and below) or pillarboxed (bars at the sides).
 */
export function overlayRect(boxRel: number[], frameAspect: number, boxAspect = 16 / 9): Rect {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = boxRel.map((v) => Math.min(1, Math.max(0, v)));
  let fw = 1;
  let fh = 1;
  if (frameAspect > boxAspect) fh = boxAspect / frameAspect;
  else fw = frameAspect / boxAspect;
  const offX = (1 - fw) / 2;
  const offY = (1 - fh) / 2;
  const pct = (v: number) => Math.round(v * 100_000) / 1000;
  return {
    left: pct(offX + x0 * fw),
    top: pct(offY + y0 * fh),
    width: pct((x1 - x0) * fw),
    height: pct((y1 - y0) * fh),
  };
}
