"""Which runtime runs the embedded default's MiniLM and EfficientNet-Lite0 in this process.

"auto" (the default): ONNX Runtime on CPU, from the exports of adclf.pipeline.embedded.export;
torch on a CUDA device, and on CPU when no export can be had (logged once). "onnx" makes a
missing export an error; "torch" keeps the models on torch (the runtime before the exports)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Literal

from adclf.errors import PipelineError
from adclf.pipeline.embedded.export import DEFAULT_DIR, is_current

log = logging.getLogger(__name__)
Runtime = Literal["auto", "onnx", "torch"]

_lock = threading.Lock()
_checked: dict[Path, str | None] = {}  # folder -> None when usable, else why not
_defaults: tuple[str, int] = ("auto", 0)


def configure(runtime: str, threads: int) -> None:
    """The runtime and CPU threads for models this process loads without explicit ones (a worker
    sets them once from its settings and its share of the node's cores)."""
    global _defaults
    _defaults = (runtime, max(0, int(threads)))


def defaults() -> tuple[str, int]:
    return _defaults


def onnx_file(name: str, runtime: str, device: str, folder: Path = DEFAULT_DIR) -> Path | None:
    """The exported file to run `name` from, or None when the model runs on torch."""
    if runtime == "torch" or device != "cpu":
        return None
    why = _exported(folder)
    if why is None:
        return folder / name
    if runtime == "onnx":
        raise PipelineError(f"EMBEDDED_RUNTIME=onnx but the ONNX export is missing: {why}")
    return None


def _exported(folder: Path) -> str | None:
    with _lock:
        if folder not in _checked:
            _checked[folder] = _export(folder)
            if _checked[folder]:
                log.warning("embedded models run on torch: %s", _checked[folder])
        return _checked[folder]


def _export(folder: Path) -> str | None:
    if is_current(folder):
        return None
    # a child process: torch and the export's memory never enter this one
    try:
        done = subprocess.run(
            [sys.executable, "-m", "adclf.pipeline.embedded.export", "--out", str(folder)],
            capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"the export could not run ({exc})"
    if done.returncode != 0 or not is_current(folder):
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"the export failed ({tail[0]})"
    return None


def session(model: Path | bytes, threads: int) -> Any:
    """A CPU ONNX Runtime session; `threads` 0 lets it use every core."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(0, threads)
    options.inter_op_num_threads = 1
    source = str(model) if isinstance(model, Path) else model
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
