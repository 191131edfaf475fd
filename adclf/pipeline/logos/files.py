"""Where the logo sources and the built gallery live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SOURCE = ROOT / "third_party" / "simple-icons" / "node_modules" / "simple-icons"
DEFAULT_OUT = Path(__file__).resolve().parent / "_gallery"  # gitignored; scripts/setup.sh fills it
ARRAYS = "gallery.npz"
META = "gallery.json"
