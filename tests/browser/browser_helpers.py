"""Small helpers shared by the browser tests."""

from __future__ import annotations

import re
from typing import Any

import httpx

JOB_DONE_TIMEOUT_MS = 180_000


def api(server: Any) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=30.0)


def submit_file(server: Any, path: str) -> str:
    with api(server) as c:
        r = c.post("/jobs/by-filepath", json={"mode": "pipeline", "file_path": path,
                                              "settings": {"provider": "embedded"}})
        r.raise_for_status()
        return str(r.json()["job_id"])


def job_id_from_url(url: str) -> str:
    m = re.search(r"#/jobs/([^/?]+)", url)
    assert m, f"not a job detail URL: {url}"
    from urllib.parse import unquote

    return unquote(m.group(1))


def no_horizontal_overflow(page: Any) -> int:
    """How many pixels the page is wider than the viewport (0 = fits)."""
    return int(page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))
