"""Chromium (from Debian, never downloaded) driven by Playwright against the real Serve app.

Fixtures: `dashboard` (the live server, with the production build checked), `browser`,
`page` (1280 px, fails the test on console errors), `phone_page` (375 px)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC_INDEX = ROOT / "adclf" / "static" / "index.html"
CHROMIUM = os.environ.get("ADCLF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Where screenshots go; CI can keep them as artifacts by setting this variable.
SHOTS_ENV = "ADCLF_SCREENSHOT_DIR"


def _frontend_sources_newer() -> bool:
    if not STATIC_INDEX.exists():
        return True
    built = STATIC_INDEX.stat().st_mtime
    src = ROOT / "frontend" / "src"
    return any(p.stat().st_mtime > built for p in src.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def dashboard(request: pytest.FixtureRequest) -> Any:
    """The live server, after making sure the dashboard build exists (the app mounts /assets
    when it is created, so the build must happen before `live_server` imports the app)."""
    if _frontend_sources_newer():
        if not (ROOT / "frontend" / "node_modules").is_dir() or shutil.which("npm") is None:
            pytest.skip("dashboard not built and no frontend/node_modules: run scripts/setup.sh")
        subprocess.run(["npm", "run", "build", "--silent"], cwd=ROOT / "frontend", check=True,
                       timeout=300)
    return request.getfixturevalue("live_server")


# Module scope: sync Playwright keeps an event loop running in the main thread while it is
# open, which would break asyncio.run() in test folders that run after this one.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: run scripts/setup.sh --test (Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class ConsoleLog:
    """Console errors and uncaught page errors seen during one test. A test that provokes an
    HTTP error on purpose (403, 401) declares it with `allow`, since Chromium logs every failed
    request as a console error."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self._allowed)]

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(
            f"console.{m.type}: {m.text} ({m.location.get('url')})") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


def _new_page(browser: Any, width: int, height: int, log: ConsoleLog) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log.attach(page)
    yield page
    context.close()


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Any, console: ConsoleLog) -> Iterator[Any]:
    yield from _new_page(browser, 1280, 860, console)
    assert console.unexpected() == [], f"console errors: {console.unexpected()}"


@pytest.fixture
def phone_page(browser: Any, console: ConsoleLog) -> Iterator[Any]:
    yield from _new_page(browser, 375, 812, console)
    assert console.unexpected() == [], f"console errors: {console.unexpected()}"


@pytest.fixture
def shot(tmp_path: Path) -> Callable[[Any, str], Path]:
    """Save a full-page screenshot and return its path."""
    out = Path(os.environ[SHOTS_ENV]) if os.environ.get(SHOTS_ENV) else tmp_path
    out.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
