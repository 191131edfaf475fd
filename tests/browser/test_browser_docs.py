"""/docs and /redoc render with every non-loopback request refused, as on an air-gapped host
(issue #13: Swagger UI loaded from a CDN left /docs blank)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture
def offline_page(page: Any) -> Iterator[tuple[Any, list[str]]]:
    """The page, with every request that leaves the machine aborted and recorded."""
    blocked: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.context.route("**/*", guard)
    yield page, blocked


def test_swagger_ui_renders_the_operations_offline(
        live_server: Any, offline_page: tuple[Any, list[str]]) -> None:
    page, blocked = offline_page
    page.goto(f"{live_server.url}/docs")
    # An operation block for a route exists only once the bundle ran and read /openapi.json.
    expect(page.locator(".swagger-ui .information-container .title")).to_contain_text("adclf")
    upload = page.locator(".opblock-summary-path", has_text="/jobs/upload").first
    expect(upload).to_be_visible()
    assert page.locator(".opblock").count() >= 25
    assert blocked == [], f"/docs asked for outside resources: {blocked}"


def test_redoc_renders_offline(live_server: Any, offline_page: tuple[Any, list[str]],
                               console: Any) -> None:
    page, blocked = offline_page
    # ReDoc's sidebar always asks a CDN for the Redocly logo; the page's policy refuses it
    # before any request (Chromium reports the refusal on the console).
    console.allow(r"cdn\.redoc\.ly/redoc/logo-mini\.svg. violates .*Content Security Policy")
    page.goto(f"{live_server.url}/redoc")
    expect(page.locator("h1", has_text="adclf").first).to_be_visible()
    expect(page.get_by_text("/jobs/upload").first).to_be_attached()
    assert blocked == [], f"/redoc asked for outside resources: {blocked}"


def test_docs_under_a_route_prefix_load_their_assets(
        live_server: Any, offline_page: tuple[Any, list[str]]) -> None:
    """The token app is served under /secure: its page must ask for /secure/docs-assets/…."""
    page, blocked = offline_page
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.secure_url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert failed == [] and blocked == [], (failed, blocked)
