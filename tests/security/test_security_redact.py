"""Secrets never reach messages or the settings shown by the API."""

from __future__ import annotations

from typing import Any

import pytest

from adclf.config import Settings
from adclf.security.redact import redact_settings, redact_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pw@example.com/a.mp4", "https://***@example.com/a.mp4"),
        ("https://tok@example.com:8443/a", "https://***@example.com:8443/a"),
        (
            "https://cdn.example.com/a.mp4?X-Amz-Signature=abc&X-Amz-Credential=def&w=1",
            "https://cdn.example.com/a.mp4?X-Amz-Signature=***&X-Amz-Credential=***&w=1",
        ),
        (
            "http://h/v?token=t&api_key=k&sig=s&page=2",
            "http://h/v?token=***&api_key=***&sig=***&page=2",
        ),
        ("http://h/v#access_token=xyz", "http://h/v"),
        ("http://[::1]:80/x", "http://[::1]:80/x"),
        ("http://example.com/plain", "http://example.com/plain"),
        ("http://example.com:notaport/", "<unparsable URL>"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redact_settings_drops_secret_keys() -> None:
    values: dict[str, Any] = {
        "_env_file": None,
        "API_TOKEN": "tok-123",
        "OPENAI_API_KEY": "sk-live-999",
        "OPENAI_BASE_URL": "http://u:p4ss@127.0.0.1:8080/v1",
    }
    s = Settings(**values)
    out = redact_settings(s.model_dump(mode="json"))
    text = repr(out)
    for secret in ("tok-123", "sk-live-999", "p4ss"):
        assert secret not in text
    assert "API_TOKEN" not in out and "OPENAI_API_KEY" not in out and "API_TOKEN_FILE" not in out
    assert out["OPENAI_BASE_URL"] == "http://***@127.0.0.1:8080/v1"
    assert out["NODE_NAME"] == s.NODE_NAME and out["MAX_UPLOAD_MB"] == s.MAX_UPLOAD_MB


def test_redact_nested_and_case() -> None:
    out = redact_settings(
        {"provider": {"Authorization": "Bearer x", "Password": "y", "model": "m"}, "n": 1}
    )
    assert out == {"provider": {"model": "m"}, "n": 1}
