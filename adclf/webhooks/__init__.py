"""Signed webhooks: a finished job is POSTed to its callback URL with an HMAC-SHA256 signature.

- `verify.verify_signature`: for receivers (standard library only);
- `signing`: the signature header adclf sends;
- `targets`: the submit-time policy for callback URLs;
- `send`: one signed POST over a pinned, SSRF-checked connection;
- `backoff`: when the next attempt is due;
- `delivery`: the per-node deliverer actor, which drains the store's outbox."""
