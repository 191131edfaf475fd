"""The model actor's models on CUDA give what they give on the CPU. Needs a CUDA device: skipped
with its reason elsewhere (placement on a GPU node is tested in tests/cluster without one)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.skipif(
    not torch.cuda.is_available(),
    reason="no CUDA device here (torch.cuda.is_available() is false): the GPU path runs only "
           "where one is present")


def test_node_models_on_cuda_match_the_cpu(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import onnxruntime

    from adclf.config import Settings
    from adclf.models.loaded import NodeModels
    from adclf.pipeline.embedded.text_encoder import TextEncoder, model_dir
    from adclf.pipeline.ocr.rapid import prepare

    settings = Settings(DATA_DIR=tmp_path)
    gpu = NodeModels(settings, threads=2, cuda=True)
    texts = ["fresh pizza delivered", "electric SUV"]
    cpu_vecs = TextEncoder(model_dir(), "cpu").encode(texts)
    np.testing.assert_allclose(gpu.encoder().encode(texts), cpu_vecs, atol=1e-4)
    assert "CUDAExecutionProvider" in onnxruntime.get_available_providers()
    image = np.zeros((720, 1280, 3), np.uint8)
    cv2.putText(image, "NIKE just do it", (90, 380), cv2.FONT_HERSHEY_SIMPLEX, 3,
                (250, 250, 250), 6)
    bgr, scale = prepare(image, 960)
    lines = gpu.ocr_batch([(960, bgr, 0.0, 720, scale)])
    assert [ln.text for ln in lines[0]] == ["NIKE just do it"]
