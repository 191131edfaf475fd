"""Batch fixtures: 30 real ads inside the live service's allowed root, made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_support import make_ads
from support import LiveServer


@pytest.fixture(scope="session")
def batch_ads(live_server: LiveServer) -> list[Path]:
    return make_ads(live_server.roots / "batch-ads", 30)
