import { useId } from "react";
import type { JobMode, JobSettings } from "../../../api/types";
import { usePolling } from "../../../lib/usePolling";
import { fetchOllamaModels } from "../api/jobs";

export type FormSettings = {
  mode: JobMode;
  provider: "embedded" | "ollama" | "openai";
  model_name: string;
  scan_mode: "Tail Only" | "Full Video" | "Express";
  ocr_engine: "rapidocr" | "tesseract";
  ocr_mode: "Fast" | "Detailed";
};

export const DEFAULT_SETTINGS: FormSettings = {
  mode: "pipeline",
  provider: "embedded",
  model_name: "",
  scan_mode: "Tail Only",
  ocr_engine: "rapidocr",
  ocr_mode: "Fast",
};

/** The API's settings object; empty model means "server default". */
export function toJobSettings(s: FormSettings): JobSettings {
  const settings: JobSettings = {
    provider: s.provider,
    scan_mode: s.scan_mode,
    express_mode: s.scan_mode === "Express",
    ocr_engine: s.ocr_engine,
    ocr_mode: s.ocr_mode,
  };
  if (s.provider !== "embedded" && s.model_name.trim()) settings.model_name = s.model_name.trim();
  return settings;
}

type Props = { value: FormSettings; onChange: (v: FormSettings) => void };

export function SettingsFields({ value, onChange }: Props) {
  const id = useId();
  // Only ask when Ollama is chosen: an unreachable Ollama answers 503, which the browser logs as
  // a console error even though the form copes with it.
  const wantModels = value.provider === "ollama";
  const models = usePolling((s) => (wantModels ? fetchOllamaModels(s) : Promise.resolve([])), 0, [wantModels]);
  const set = <K extends keyof FormSettings>(k: K, v: FormSettings[K]) => onChange({ ...value, [k]: v });

  return (
    <fieldset className="settings">
      <legend>Settings</legend>
      <div className="field">
        <label htmlFor={`${id}-mode`}>Mode</label>
        <select id={`${id}-mode`} value={value.mode} onChange={(e) => set("mode", e.target.value as JobMode)}>
          <option value="pipeline">Pipeline</option>
          <option value="agent">Agent</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-provider`}>Provider</label>
        <select
          id={`${id}-provider`}
          value={value.provider}
          onChange={(e) => set("provider", e.target.value as FormSettings["provider"])}
        >
          <option value="embedded">Embedded</option>
          <option value="ollama">Ollama</option>
          <option value="openai">OpenAI-compatible</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-model`}>Model</label>
        <input
          id={`${id}-model`}
          list={`${id}-models`}
          value={value.model_name}
          disabled={value.provider === "embedded"}
          placeholder={value.provider === "embedded" ? "built-in" : "server default"}
          onChange={(e) => set("model_name", e.target.value)}
          aria-describedby={`${id}-model-hint`}
        />
        <datalist id={`${id}-models`}>
          {(models.data ?? []).map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <span id={`${id}-model-hint`} className="hint">
          {value.provider === "ollama" && !models.loading && (models.data ?? []).length === 0
            ? "Ollama model list unavailable; type a name."
            : ""}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-scan`}>Scan mode</label>
        <select
          id={`${id}-scan`}
          value={value.scan_mode}
          onChange={(e) => set("scan_mode", e.target.value as FormSettings["scan_mode"])}
        >
          <option>Tail Only</option>
          <option>Full Video</option>
          <option>Express</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-ocr`}>OCR engine</label>
        <select
          id={`${id}-ocr`}
          value={value.ocr_engine}
          onChange={(e) => set("ocr_engine", e.target.value as FormSettings["ocr_engine"])}
        >
          <option value="rapidocr">RapidOCR</option>
          <option value="tesseract">Tesseract</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-ocrmode`}>OCR mode</label>
        <select
          id={`${id}-ocrmode`}
          value={value.ocr_mode}
          onChange={(e) => set("ocr_mode", e.target.value as FormSettings["ocr_mode"])}
        >
          <option>Fast</option>
          <option>Detailed</option>
        </select>
      </div>
    </fieldset>
  );
}
