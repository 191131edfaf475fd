"""MiniLM's forward pass (BERT, mean pooling over the real tokens, L2 normalisation) on each of
the two runtimes. Both return one unit-length float32 row of 384 per text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from adclf.pipeline.embedded import runtime

MAX_TOKENS = 128
# F.normalize's floor on the norm, kept so both runtimes agree on an all-padding row
NORM_EPS = 1e-12


class TorchBert:
    def __init__(self, path: Path, device: str) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self._torch = torch
        self.device = device
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model: Any = AutoModel.from_pretrained(str(path), local_files_only=True).to(device)
        self.model.eval()

    def __call__(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS,
                               return_tensors="pt").to(self.device)
        with torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1, eps=NORM_EPS)
        result: np.ndarray = pooled.cpu().numpy().astype(np.float32)
        return result


class OnnxBert:
    """The exported graph, with the package's own tokenizer.json run by `tokenizers` (the Rust
    library transformers' fast tokenizer wraps): no torch, no transformers."""

    def __init__(self, path: Path, model: Path | bytes, threads: int) -> None:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        pad = tokenizer.token_to_id("[PAD]")
        tokenizer.enable_padding(pad_id=pad, pad_token="[PAD]")
        self.tokenizer = tokenizer
        self.session = runtime.session(model, threads)

    def __call__(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        hidden = self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask,
                                               "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), NORM_EPS, None)
        result: np.ndarray = (pooled / norms).astype(np.float32)
        return result
