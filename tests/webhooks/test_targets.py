"""Submit-time policy for callback URLs: the URL jobs' SSRF rules, a 400 when refused."""

from __future__ import annotations

import pytest

from adclf.config import Settings
from adclf.errors import BadInput
from adclf.webhooks.targets import callback_for

SECRET = "whsec-test"


def test_private_and_local_addresses_are_refused_with_400() -> None:
    settings = Settings(WEBHOOK_SECRET=SECRET)
    for url in ("http://10.0.0.7/hook", "http://127.0.0.1:9000/hook", "http://localhost/hook",
                "http://169.254.169.254/latest", "http://[::1]/hook", "http://2130706433/x",
                "ftp://example.com/hook", "not a url"):
        with pytest.raises(BadInput) as err:
            callback_for(url, settings)
        assert err.value.http_status == 400
        assert "callback_url refused" in str(err.value)


def test_allowed_private_addresses_and_the_lists_apply_as_for_url_jobs() -> None:
    loopback = Settings(WEBHOOK_SECRET=SECRET, URL_ALLOW_PRIVATE=True,
                        URL_HOST_ALLOWLIST=["127.0.0.1"])
    assert callback_for("http://127.0.0.1:9000/h?a=1", loopback) == "http://127.0.0.1:9000/h?a=1"
    with pytest.raises(BadInput, match="allow list"):
        callback_for("http://10.0.0.7/hook", loopback)
    denied = Settings(WEBHOOK_SECRET=SECRET, URL_HOST_DENYLIST=["example.com"])
    with pytest.raises(BadInput, match="deny list"):
        callback_for("https://hooks.example.com/x", denied)


def test_a_callback_needs_the_secret() -> None:
    with pytest.raises(BadInput, match="WEBHOOK_SECRET"):
        callback_for("https://hooks.example.org/adclf", Settings())
    assert callback_for(None, Settings()) is None
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        Settings(WEBHOOK_DEFAULT_URL="https://hooks.example.org/adclf")


def test_the_default_applies_unless_the_submission_opts_out() -> None:
    settings = Settings(WEBHOOK_SECRET=SECRET, WEBHOOK_DEFAULT_URL="https://Hooks.Example.org/a")
    assert callback_for(None, settings) == "https://hooks.example.org/a"
    assert callback_for("", settings) is None
    assert callback_for("https://other.example.net/b", settings) == "https://other.example.net/b"
