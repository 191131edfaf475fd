"""Security building blocks: server-path policy, API tokens, redaction, CORS. Independent of
`adclf.net` (which uses the redaction)."""
