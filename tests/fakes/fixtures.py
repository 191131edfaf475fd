"""Pytest fixtures for the fakes. Use from a conftest.py: `from tests.fakes.fixtures import *`
(or list `"tests.fakes.fixtures"` in `pytest_plugins` of the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.fake_ollama import FakeOllama
from tests.fakes.fake_openai import FakeOpenAI

__all__ = ["fake_ollama", "fake_openai"]


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake
