"""The original service's job settings, read into adclf's.

Users come with scripts and a dashboard that send the original's spellings ("Ollama",
"Llama Server", "EasyOCR", "Full Scan", `categories` as "Cars, Retail"...). They are mapped here,
before validation, so that `JobSettings` stays strict about unknown keys and values it cannot
honour. Each mapping that changes what runs is written to `substitutions`, which the job's
explanation shows."""

from __future__ import annotations

from typing import Any

PROVIDERS = {
    "embedded": "embedded", "ollama": "ollama", "openai": "openai",
    "llama server": "openai", "llama-server": "openai", "llama_server": "openai",
    "lm studio": "openai", "lmstudio": "openai", "lm-studio": "openai",
    "openai-compatible": "openai", "openai compatible": "openai",
}
# The original's engines download their models at first use; rapidocr is packaged and offline.
# "Florence-2 (Microsoft)" is the exact value its Jobs form and its backend use.
OCR_ENGINES = {"rapidocr": "rapidocr", "tesseract": "tesseract", "easyocr": "rapidocr",
               "florence": "rapidocr", "florence-2": "rapidocr", "florence2": "rapidocr",
               "florence-2 (microsoft)": "rapidocr"}
SCAN_MODES = {"tail only": "Tail Only", "tail": "Tail Only", "full video": "Full Video",
              "full scan": "Full Video", "full": "Full Video", "express": "Express"}

# Settings of the original that change nothing here, and why (shown in the explanation).
NOT_USED = {
    "enable_search": "web search is not used: adclf runs offline",
    "enable_web_search": "web search is not used: adclf runs offline",
    "enable_agentic_search": "agentic web search is not used: adclf runs offline",
    "category_embedding_model": "category mapping uses the packaged all-MiniLM-L6-v2 encoder",
    "enable_vision_board": "the SigLIP vision board of the original is not built",
    "override": "override has no effect: the job's categories are always honoured",
}


def _key(value: Any) -> str:
    return " ".join(str(value).strip().lower().split())


def _ocr_mode(value: Any) -> Any:
    text = _key(value)
    if "detail" in text:
        return "Detailed"
    if "fast" in text:
        return "Fast"
    return value


def split_categories(value: Any) -> Any:
    """"Cars, Insurance" → ["Cars", "Insurance"]; "" → None; a list keeps its items."""
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
        return [i for i in items if i] or None
    if isinstance(value, list):
        kept = [i.strip() if isinstance(i, str) else i for i in value]
        return [i for i in kept if i != ""] or None
    return value


def normalise(data: Any) -> Any:
    """The original's settings (a dict) → adclf's spellings; other inputs pass through for the
    model to refuse."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    notes: list[str] = []
    provider = out.get("provider")
    if isinstance(provider, str) and _key(provider) in PROVIDERS:
        mapped = PROVIDERS[_key(provider)]
        if provider != mapped:
            notes.append(f"provider {provider!r} runs as {mapped!r}")
        out["provider"] = mapped
    engine = out.get("ocr_engine")
    if isinstance(engine, str) and _key(engine) in OCR_ENGINES:
        mapped = OCR_ENGINES[_key(engine)]
        if _key(engine) != mapped:
            notes.append(f"ocr_engine {engine!r} is not available offline: {mapped} was used")
        out["ocr_engine"] = mapped
    scan = out.get("scan_mode")
    if isinstance(scan, str) and _key(scan) in SCAN_MODES:
        out["scan_mode"] = SCAN_MODES[_key(scan)]
    if "ocr_mode" in out and out["ocr_mode"] is not None:
        out["ocr_mode"] = _ocr_mode(out["ocr_mode"])
    if "categories" in out:
        out["categories"] = split_categories(out["categories"])
    # The original's legacy switch drove both of these before they were split.
    legacy = out.get("enable_vision")
    if legacy is not None:
        out.setdefault("enable_vision_board", legacy)
        out.setdefault("enable_llm_frame", legacy)
    # Settings are validated again when a worker reads the stored job: earlier notes stay.
    earlier = out.get("substitutions")
    kept = [n for n in earlier if isinstance(n, str)] if isinstance(earlier, list) else []
    out["substitutions"] = list(dict.fromkeys([*kept, *notes]))[:20]
    return out


def not_used(settings: dict[str, Any]) -> list[str]:
    """The original's settings a job asked for that had no effect, each with the reason."""
    notes = []
    for key, why in NOT_USED.items():
        value = settings.get(key)
        if value in (None, False, ""):
            continue
        notes.append(f"{key}={value!r}: {why}")
    return notes
