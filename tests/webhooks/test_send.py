"""One callback attempt against a real receiver on 127.0.0.1: signed, pinned, never raising."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from webhook_receiver import Receiver

from adclf.config import Settings
from adclf.webhooks.send import post
from adclf.webhooks.verify import verify_signature

SECRET = "whsec-test"
LOOPBACK = Settings(WEBHOOK_SECRET=SECRET, URL_ALLOW_PRIVATE=True,
                    URL_HOST_ALLOWLIST=["127.0.0.1", "hooks.example.org"],
                    WEBHOOK_TIMEOUT_SECONDS=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver().start()
    yield r
    r.stop()


def test_the_receiver_gets_a_signed_json_post(receiver: Receiver) -> None:
    body = b'{"job_id":"j1","status":"completed"}'
    outcome = post(receiver.url + "?k=1", body, SECRET, LOOPBACK, {"X-Adclf-Job-Id": "j1"})
    assert outcome.ok and outcome.status == 200 and outcome.detail == "HTTP 200"
    got = receiver.requests[0]
    assert got.path == "/hooks/adclf?k=1" and got.body == body
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Adclf-Job-Id"] == "j1"
    assert verify_signature(SECRET, got.headers["X-Adclf-Signature"], got.body)
    assert not verify_signature("other", got.headers["X-Adclf-Signature"], got.body)


def test_a_non_2xx_answer_and_a_receiver_that_is_down_are_failed_attempts(
        receiver: Receiver) -> None:
    receiver.status = 503
    outcome = post(receiver.url, b"{}", SECRET, LOOPBACK, {})
    assert not outcome.ok and outcome.status == 503 and outcome.detail.startswith("HTTP 503")
    receiver.status = 302  # redirects are not followed
    assert not post(receiver.url, b"{}", SECRET, LOOPBACK, {}).ok
    receiver.stop()
    down = post(receiver.url, b"{}", SECRET, LOOPBACK, {})
    assert not down.ok and down.status is None and "could not connect" in down.detail


def test_delivery_rechecks_the_policy_and_the_resolved_address(receiver: Receiver) -> None:
    strict = Settings(WEBHOOK_SECRET=SECRET, WEBHOOK_TIMEOUT_SECONDS=5)
    # allowed when submitted, refused when the settings no longer allow loopback
    refused = post(receiver.url, b"{}", SECRET, strict, {})
    assert not refused.ok and "non-public" in refused.detail
    # a public-looking name that now resolves to loopback (DNS rebinding) is refused, and
    # nothing is sent
    rebound = post(f"http://hooks.example.org:{receiver.port}/x", b"{}", SECRET,
                   strict, {}, resolver=lambda host, port: ["127.0.0.1"])
    assert not rebound.ok and "resolves to a non-public address" in rebound.detail
    assert receiver.requests == []
    # the same name pinned to its checked answer when loopback is allowed: sent there
    pinned = post(f"http://hooks.example.org:{receiver.port}/x", b"{}", SECRET, LOOPBACK, {},
                  resolver=lambda host, port: ["127.0.0.1"])
    assert pinned.ok
    assert receiver.requests[0].headers["Host"] == f"hooks.example.org:{receiver.port}"
