"""Outbound network access: URL policy (`urls`) and the one SSRF-safe downloader (`fetch`)."""
