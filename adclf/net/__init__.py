"""Outbound network access and bodies from outside: URL policy (`urls`), the one SSRF-safe
downloader (`fetch`, over `pinning` and `deadline`), and the bounded intake every downloaded or
uploaded body goes through (`intake`, `uploads`)."""
