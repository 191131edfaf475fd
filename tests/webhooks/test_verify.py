"""The signature adclf sends and the receiver's check (Stripe's t=...,v1=... scheme)."""

from __future__ import annotations

import hashlib
import hmac

from adclf.webhooks.signing import signature_header
from adclf.webhooks.verify import parse_header, verify_signature

SECRET = "whsec-test"
BODY = b'{"job_id":"node-a-1","status":"completed"}'
TS = 1_800_000_000


def test_the_header_is_the_hmac_of_timestamp_dot_body() -> None:
    header = signature_header(SECRET, BODY, TS)
    expected = hmac.new(SECRET.encode(), f"{TS}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={TS},v1={expected}"
    assert parse_header(header) == (TS, [expected])


def test_a_signed_body_verifies_within_the_tolerance() -> None:
    header = signature_header(SECRET, BODY, TS)
    assert verify_signature(SECRET, header, BODY, now=TS + 299)
    assert verify_signature(SECRET, header, BODY.decode(), now=TS - 10)  # str body, clock behind


def test_altered_body_wrong_secret_or_old_timestamp_fail() -> None:
    header = signature_header(SECRET, BODY, TS)
    assert not verify_signature(SECRET, header, BODY.replace(b"completed", b"failed"), now=TS)
    assert not verify_signature("another-secret", header, BODY, now=TS)
    assert not verify_signature(SECRET, header, BODY, now=TS + 301)  # a replay, 5 min later
    assert verify_signature(SECRET, header, BODY, tolerance=0, now=TS + 10_000)


def test_a_changed_timestamp_breaks_the_signature() -> None:
    sig = signature_header(SECRET, BODY, TS).split(",v1=")[1]
    assert not verify_signature(SECRET, f"t={TS + 60},v1={sig}", BODY, now=TS + 60)


def test_malformed_headers_are_refused_and_any_v1_may_match() -> None:
    good = signature_header(SECRET, BODY, TS).split(",v1=")[1]
    for header in (None, "", "v1=" + good, f"t=soon,v1={good}", f"t={TS}", "garbage"):
        assert not verify_signature(SECRET, header, BODY, now=TS), header
    assert verify_signature(SECRET, f"t={TS}, v1={'0' * 64}, v0=x, v1={good}", BODY, now=TS)
    assert not verify_signature("", f"t={TS},v1={good}", BODY, now=TS)
