"""The embedded MiniLM and EfficientNet-Lite0 on ONNX Runtime (exports of the packages' weights)
against the same models on torch, and the choice between the two runtimes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adclf.errors import PipelineError
from adclf.pipeline.embedded import export, runtime
from adclf.pipeline.embedded.text_encoder import TextEncoder, model_dir
from adclf.pipeline.embedded.vision import VisualClassifier
from adclf.pipeline.types import Frame

TEXTS = ["Order a large pepperoni pizza tonight", "Visitez desjardins point com",
         "Open a savings account in minutes", "", "THE ALL-NEW 2027 SEDAN " * 40]


@pytest.fixture(scope="module")
def exported() -> Path:
    if not export.is_current():  # a checkout whose setup did not export: build it here
        export.build()
    return export.DEFAULT_DIR


def test_the_onnx_text_encoder_matches_torch(exported: Path) -> None:
    onnx = TextEncoder(model_dir(), "cpu", "onnx", 1)
    torch = TextEncoder(model_dir(), "cpu", "torch", 1)
    assert (onnx.runtime, torch.runtime) == ("onnx", "torch")
    got, want = onnx.encode(TEXTS), torch.encode(TEXTS)
    np.testing.assert_allclose(got, want, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(got[:4], axis=1), 1.0, atol=1e-5)
    # the long text was cut at 128 tokens on both runtimes, not embedded whole
    assert float(got[4] @ want[4]) > 0.9999


def test_the_onnx_visual_labels_match_torch(exported: Path) -> None:
    datasets = pytest.importorskip("sklearn.datasets")
    blank = np.zeros((90, 90, 3), np.uint8)
    frames = [Frame(0.0, datasets.load_sample_image("flower.jpg")),
              Frame(1.0, datasets.load_sample_image("china.jpg")), Frame(2.0, blank)]
    onnx = VisualClassifier("cpu", "onnx", 1).labels(frames, top_k=5)
    torch = VisualClassifier("cpu", "torch", 1).labels(frames, top_k=5)
    assert [n for n, _ in onnx] == [n for n, _ in torch]
    np.testing.assert_allclose([p for _, p in onnx], [p for _, p in torch], atol=1e-4)
    assert "daisy" in [n for n, _ in onnx]


def test_a_cpu_process_on_the_exports_never_imports_torch(exported: Path) -> None:
    code = (
        "import sys\n"
        "from adclf.pipeline.embedded.text_encoder import load_text_encoder\n"
        "from adclf.pipeline.embedded.vision import load_visual_classifier\n"
        "import numpy as np\n"
        "from adclf.pipeline.types import Frame\n"
        "enc = load_text_encoder(); vis = load_visual_classifier()\n"
        "enc.encode(['hello']); vis.labels([Frame(0.0, np.zeros((64, 64, 3), np.uint8))])\n"
        "print(enc.runtime, vis.runtime, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.split() == ["onnx", "onnx", "False", "False"]


def test_torch_is_kept_when_asked_and_on_cuda(exported: Path) -> None:
    assert runtime.onnx_file(export.TEXT, "torch", "cpu") is None
    assert runtime.onnx_file(export.TEXT, "auto", "cuda") is None
    assert runtime.onnx_file(export.TEXT, "auto", "cpu") == exported / export.TEXT


def test_a_missing_export_is_built_in_a_child_process(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    path = runtime.onnx_file(export.VISUAL, "onnx", "cpu", folder)
    assert path == folder / export.VISUAL and path.stat().st_size > 10_000_000
    meta = json.loads((folder / export.META).read_text())
    assert meta["sources"] == export.sources()
    assert meta["max_difference"]["text"] <= export.TEXT_TOLERANCE
    # a stale export (another torch, say) is not used as it is
    meta["sources"]["torch"] = "0.0"
    (folder / export.META).write_text(json.dumps(meta))
    assert not export.is_current(folder)


def test_an_export_that_cannot_be_made_falls_back_to_torch_or_fails_when_onnx_is_required(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    folder = blocker / "exports"  # cannot be created: its parent is a file
    with caplog.at_level("WARNING"):
        assert runtime.onnx_file(export.TEXT, "auto", "cpu", folder) is None
    assert "embedded models run on torch" in caplog.text
    with pytest.raises(PipelineError, match="EMBEDDED_RUNTIME=onnx"):
        runtime.onnx_file(export.TEXT, "onnx", "cpu", folder)
