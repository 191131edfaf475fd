"""adclf: video ad classifier on Ray."""

import os

# ONNX Runtime (1.29+) sends usage telemetry to Microsoft from every process that creates a
# session; it is read once, before the first session, so it must be set before any model loads.
# adclf promises an offline, air-gapped runtime: nothing leaves the host (issue #15).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
