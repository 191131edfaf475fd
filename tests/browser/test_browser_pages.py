"""Overview, maintenance, every page without console errors, phone layout, keyboard, token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_helpers import JOB_DONE_TIMEOUT_MS, api, no_horizontal_overflow, submit_file
from playwright.sync_api import expect
from videos import simple_ad

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def finished_job(dashboard: Any) -> str:
    """One completed job, so pages with results have something to show."""
    video = simple_ad(dashboard.roots / "pages-ad.mp4", brand="ORBIT", product="Chewing gum",
                      domain="orbit.com")
    job_id = submit_file(dashboard, str(video))
    job = dashboard.wait_job(job_id, timeout=JOB_DONE_TIMEOUT_MS / 1000)
    assert job["status"] == "completed", job
    return job_id


def test_maintenance_toggle_on_a_node_card(dashboard: Any, page: Any) -> None:
    with api(dashboard) as c:
        node = c.get("/cluster/nodes").json()["self"]
        # Start from a known state whatever earlier tests of the session did.
        c.post(f"/cluster/nodes/{node}/maintenance", json={"enabled": False}).raise_for_status()
    page.goto(f"{dashboard.url}/#/")
    card = page.locator(f'[data-testid="node-card"][data-node="{node}"]')
    toggle = card.get_by_role("switch", name="Maintenance")
    expect(toggle).not_to_be_checked()
    try:
        toggle.click()
        expect(toggle).to_be_checked()
        assert node_maintenance(dashboard, node)
        expect(card.locator(".node-state")).to_have_text("maintenance")
        toggle.click()
        expect(toggle).not_to_be_checked()
        assert not node_maintenance(dashboard, node)
    finally:
        # Other tests need a node that accepts jobs.
        with api(dashboard) as c:
            c.post(f"/cluster/nodes/{node}/maintenance", json={"enabled": False})


def node_maintenance(server: Any, node: str) -> bool:
    with api(server) as c:
        return bool(c.get("/cluster/nodes").json()["maintenance"][node])


def test_every_page_renders_without_console_errors(
    dashboard: Any, page: Any, finished_job: str, shot: Callable[[Any, str], Path]
) -> None:
    page.goto(f"{dashboard.url}/")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_test_id("node-card").first).to_be_visible()
    expect(page.get_by_test_id("metrics")).to_be_visible()
    latest = page.locator(f'[data-testid="latest-job"]:has(a[href="#/jobs/{finished_job}"])')
    expect(latest).to_be_visible()
    # The poster is the job's first frame, really loaded.
    expect(latest.get_by_role("img")).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=latest.get_by_role("img").element_handle())
    shot(page, "overview-1280")

    page.get_by_role("link", name="Jobs", exact=True).click()
    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    expect(page.locator(f'tr[data-job-id="{finished_job}"]')).to_be_visible()
    page.get_by_role("tab", name="Completed").click()
    expect(page.locator(f'tr[data-job-id="{finished_job}"]')).to_be_visible()
    page.get_by_role("tab", name="Failed").click()
    expect(page.locator(f'tr[data-job-id="{finished_job}"]')).to_have_count(0)
    shot(page, "jobs-1280")

    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_test_id("analytics-counters")).to_be_visible()
    # Brands are ranked by count over the whole session, so only ask for a non-empty list.
    expect(page.locator("#brands .bar-row").first).to_be_visible()
    shot(page, "analytics-1280")

    page.get_by_role("link", name="Taxonomy").click()
    tree = page.get_by_role("tree")
    expect(tree.get_by_role("treeitem").first).to_be_visible()
    page.get_by_role("searchbox", name="Search the taxonomy").fill("auto")
    expect(tree.get_by_role("treeitem").first).to_be_visible()
    shot(page, "taxonomy-1280")

    page.goto(f"{dashboard.url}/#/jobs/{finished_job}")
    expect(page.get_by_test_id("verdict-brand")).not_to_have_text("—")
    page.goto(f"{dashboard.url}/#/nowhere")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_phone_width_layout(
    dashboard: Any, phone_page: Any, finished_job: str, shot: Callable[[Any, str], Path]
) -> None:
    page = phone_page
    for name, route, ready in (
        ("overview", "/#/", "node-card"),
        ("jobs", "/#/jobs", "jobs-table"),
        ("job-detail", f"/#/jobs/{finished_job}", "attempts"),
        ("analytics", "/#/analytics", "analytics-counters"),
    ):
        page.goto(f"{dashboard.url}{route}")
        expect(page.get_by_test_id(ready).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        overflow = no_horizontal_overflow(page)
        shot(page, f"{name}-375")
        assert overflow <= 0, f"{name} is {overflow}px wider than a 375px screen"


def test_keyboard_reaches_the_submit_form_with_visible_focus(dashboard: Any, page: Any) -> None:
    page.goto(f"{dashboard.url}/#/jobs")
    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.id || e.textContent || e.tagName) : '' }")
        reached.append(str(label).strip())
        if label == "submit-urls":
            break
    else:
        raise AssertionError(f"Tab never reached the URL box; visited: {reached}")
    # The focus ring is a box-shadow (:focus-visible); an invisible focus fails this.
    shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert shadow and shadow != "none"
    page.keyboard.type("http://127.0.0.1:9/nothing.mp4")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Submit button
    expect(page.get_by_test_id("submitted")).to_contain_text("Submitted 1 job")


def test_token_is_asked_once_and_kept_for_the_tab(
    dashboard: Any, page: Any, console: Any
) -> None:
    # The first requests are refused before the token is known; that is the point of the test.
    console.allow(r"status of 401 ")
    page.goto(f"{dashboard.secure_url}/")
    dialog = page.get_by_role("dialog", name="API token required")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)
    page.get_by_label("API token", exact=True).fill(dashboard.token)
    page.get_by_role("button", name="Save token").click()
    expect(page.get_by_test_id("node-card").first).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.evaluate("() => sessionStorage.getItem('adclf.apiToken')") == dashboard.token
    # A reload keeps it.
    page.reload()
    expect(page.get_by_test_id("node-card").first).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # A job page works with the token too: the SSE stream takes it as ?token= (EventSource
    # cannot send headers) and frames/video are fetched with the header.
    video = simple_ad(dashboard.roots / "secure-ad.mp4", brand="VERTEX", seconds=4.0)
    headers = {"Authorization": f"Bearer {dashboard.token}"}
    with httpx.Client(base_url=dashboard.secure_url, timeout=30.0, headers=headers) as c:
        r = c.post("/jobs/by-filepath", json={"file_path": str(video)})
        r.raise_for_status()
        job_id = r.json()["job_id"]
    streams: list[Any] = []
    page.on("response", lambda r: streams.append(r) if "/stream" in r.url else None)
    page.goto(f"{dashboard.secure_url}/#/jobs/{job_id}")
    expect(page.get_by_test_id("stream-mode")).to_have_text("final", timeout=JOB_DONE_TIMEOUT_MS)
    assert streams and streams[0].status == 200 and "token=" in streams[0].url
    frame = page.get_by_test_id("frames").get_by_role("img").first
    expect(frame).to_be_visible()
    frame_src = frame.get_attribute("src") or ""
    assert frame_src.startswith("blob:")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=frames] img');"
        " return i && i.complete && i.naturalWidth > 0 }")
