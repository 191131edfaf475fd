"""A real ffmpeg-made ad for the agent tests, a reporter that records, and settings pointing
the LLM providers at the local fake servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.videos import Scene, make_video


@pytest.fixture(scope="session")
def agent_ad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s product scene, then a 2 s end card naming the brand and its web address."""
    return make_video(
        tmp_path_factory.mktemp("agent-media") / "agent_ad.mp4",
        [
            Scene(4.0, "darkgreen", ["Running shoes", "Feel the road"], font_size=44),
            Scene(2.0, "black", ["NIKE", "nike.com"], font_size=64),
        ],
        size=(640, 360),
    )
