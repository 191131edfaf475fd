"""Security building blocks: server-path policy, uploads, API tokens, redaction."""
