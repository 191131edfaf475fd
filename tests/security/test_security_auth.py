"""API tokens: Bearer header, query token for SSE, constant-time comparison over all tokens."""

from __future__ import annotations

import hmac

import pytest

from adclf.security import auth
from adclf.security.auth import auth_enabled, bearer_token, query_token_ok, token_ok

TOKENS = ["alpha-token-123", "beta-token-456"]


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("Bearer alpha-token-123", True),
        ("bearer beta-token-456", True),
        ("BEARER   alpha-token-123  ", True),
        ("alpha-token-123", True),  # bare token
        ("Bearer alpha-token-12", False),
        ("Bearer alpha-token-1234", False),
        ("Bearer ALPHA-TOKEN-123", False),
        ("Basic alpha-token-123", False),
        ("Bearer", False),
        ("Bearer ", False),
        ("", False),
        (None, False),
        ("Bearer alpha-token-123 beta-token-456", False),
        ("Bearer ünïcode", False),
    ],
)
def test_token_ok(header: str | None, ok: bool) -> None:
    assert token_ok(header, TOKENS) is ok


def test_no_tokens_means_disabled() -> None:
    assert not auth_enabled([])
    assert not auth_enabled([""])
    assert token_ok(None, [])
    assert query_token_ok(None, [])
    # an empty configured token never matches an empty header
    assert not token_ok("Bearer ", ["", "x"])


def test_query_token() -> None:
    assert query_token_ok("beta-token-456", TOKENS)
    assert not query_token_ok("Bearer beta-token-456", TOKENS)
    assert not query_token_ok("", TOKENS)
    assert not query_token_ok(None, TOKENS)
    assert not query_token_ok("beta", TOKENS)


def test_bearer_token() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("abc") == "abc"
    assert bearer_token("Digest x=y") is None
    assert bearer_token(None) is None


def test_compares_against_every_token(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append(b)
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert token_ok("Bearer alpha-token-123", TOKENS)  # matches the first...
    assert len(calls) == len(TOKENS)  # ...and still compares with all of them
