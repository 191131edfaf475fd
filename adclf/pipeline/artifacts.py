"""Files a job leaves in its work dir, and the index the API turns into artifact URLs.

    work_dir/frames/frame_000.jpg   sampled frames (JPEG, at most 1280 px wide)
    work_dir/ocr.json               merged OCR lines
    work_dir/explanation.json       attempts, mapping (with top-5), timings
    work_dir/agent_steps.json       mode=agent: the agent's steps
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from adclf.pipeline.types import Frame, OcrLine, PipelineResult

FRAMES_DIR = "frames"
OCR_FILE = "ocr.json"
EXPLANATION_FILE = "explanation.json"
AGENT_STEPS_FILE = "agent_steps.json"  # mode=agent: every step (adclf.pipeline.agent)
JPEG_QUALITY = 85
MAX_WIDTH = 1280


def frame_name(index: int) -> str:
    return f"{FRAMES_DIR}/frame_{index:03d}.jpg"


def save_frame(frame: Frame, work_dir: Path, index: int) -> Path:
    """Write one frame as JPEG and record its index and path on the frame."""
    path = work_dir / frame_name(index)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = frame.image
    h, w = image.shape[:2]
    if w > MAX_WIDTH:
        size = (MAX_WIDTH, round(h * MAX_WIDTH / w))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2BGR),
        [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY],
    )
    if not ok:
        raise OSError(f"could not encode frame {index} as JPEG")
    _atomic_write(path, data.tobytes())
    frame.index = index
    frame.path = path
    return path


def reset(work_dir: Path) -> None:
    """Forget a previous attempt's outputs (a retried job reuses its work dir); the downloaded
    source, if any, is kept."""
    frames = work_dir / FRAMES_DIR
    if frames.is_dir():
        for old in frames.glob("frame_*.jpg"):
            old.unlink(missing_ok=True)
    for name in (OCR_FILE, EXPLANATION_FILE, AGENT_STEPS_FILE):
        (work_dir / name).unlink(missing_ok=True)


def write_json(path: Path, payload: Any) -> Path:
    _atomic_write(path, json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    # readers (the API serving artifacts while the job runs) never see a half-written file
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def ocr_payload(lines: list[OcrLine]) -> dict[str, Any]:
    return {"text": "\n".join(line.text for line in lines), "lines": [asdict(x) for x in lines]}


def write_result_files(result: PipelineResult, work_dir: Path) -> None:
    work_dir.mkdir(parents=True, exist_ok=True)
    write_json(work_dir / OCR_FILE, ocr_payload(result.ocr_lines))
    write_json(work_dir / EXPLANATION_FILE, result.explanation())


def _relative(path: Path | None, work_dir: Path) -> str | None:
    if path is None:
        return None
    try:
        return path.resolve().relative_to(work_dir.resolve()).as_posix()
    except ValueError:
        return None  # never expose a path outside the job's own directory


def artifact_index(result: PipelineResult, work_dir: Path) -> dict[str, Any]:
    """JSON-able metadata for `GET /jobs/{id}/artifacts`; names are relative to `work_dir`."""
    frames = []
    for frame in sorted(result.frames, key=lambda f: f.index):
        name = _relative(frame.path, work_dir)
        if name is not None:
            frames.append({"name": name, "timestamp": round(frame.timestamp, 3),
                           "index": frame.index})
    return {
        "frames": frames,
        "speech_text": " ".join(line.text for line in result.speech_lines),
        "speech_lines": [asdict(line) for line in result.speech_lines],
        "speech_note": result.speech_note,
        "logos": logo_index(result, work_dir),
        "logo_note": result.logo_note,
        "ocr_text": "\n".join(line.text for line in result.ocr_lines),
        "ocr_lines": [asdict(line) for line in result.ocr_lines],
        "mapper_top": list(result.mapping.top),
        "trace": [asdict(a) for a in result.attempts],
        "files": [n for n in (OCR_FILE, EXPLANATION_FILE, AGENT_STEPS_FILE)
                  if (work_dir / n).is_file()],
    }


def logo_index(result: PipelineResult, work_dir: Path) -> list[dict[str, Any]]:
    """Each detection with the frame it was seen in and its box as fractions of that frame, so
    the dashboard can draw it on the (possibly downscaled) JPEG."""
    out = []
    for det in result.logos:
        frame = min(result.frames, key=lambda f: abs(f.timestamp - det.timestamp), default=None)
        entry: dict[str, Any] = {**asdict(det), "frame": None, "box_rel": None}
        if frame is not None and abs(frame.timestamp - det.timestamp) < 1e-3:
            h, w = frame.image.shape[:2]
            entry["frame"] = _relative(frame.path, work_dir)
            if len(det.box) == 4 and w and h:
                x0, y0, x1, y1 = det.box
                entry["box_rel"] = [round(x0 / w, 4), round(y0 / h, 4), round(x1 / w, 4),
                                    round(y1 / h, 4)]
        out.append(entry)
    return out
