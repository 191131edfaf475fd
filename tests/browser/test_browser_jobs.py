"""Submitting, following and deleting jobs through the dashboard, against the real service."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    JOB_DONE_TIMEOUT_MS,
    api,
    job_id_from_url,
    no_horizontal_overflow,
    submit_file,
)
from playwright.sync_api import expect
from videos import Scene, logo_png, make_video, simple_ad, speak

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
ICONS = (Path(__file__).resolve().parents[2]
         / "third_party/simple-icons/node_modules/simple-icons/icons")


def _wait_final_verdict(page: Any) -> str:
    """Wait (live, via the SSE stream) until the detail page shows a final job; return the brand."""
    expect(page.get_by_test_id("stream-mode")).to_have_text("final", timeout=JOB_DONE_TIMEOUT_MS)
    return str(page.get_by_test_id("verdict-brand").inner_text()).strip()


def test_upload_through_file_input_then_detail_shows_brand(
    dashboard: Any, page: Any, tmp_path: Path, shot: Callable[[Any, str], Path]
) -> None:
    video = simple_ad(tmp_path / "zephyr-upload.mp4", brand="ZEPHYR", product="Mountain bikes",
                      domain="zephyr.com")
    streams: list[Any] = []
    page.on("response", lambda r: streams.append(r) if "/stream" in r.url else None)
    page.goto(f"{dashboard.url}/#/jobs")
    page.get_by_role("tab", name="Upload").click()
    page.get_by_test_id("file-input").set_input_files(str(video))
    expect(page.get_by_text("zephyr-upload.mp4")).to_be_visible()
    page.get_by_role("button", name="Upload 1 file").click()

    submitted = page.get_by_test_id("submitted")
    expect(submitted).to_contain_text("Submitted 1 job", timeout=30_000)
    expect(page.get_by_text("Uploaded")).to_be_visible()
    submitted.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#/jobs/"))
    job_id = job_id_from_url(page.url)

    brand = _wait_final_verdict(page)
    # The page followed the job through the SSE stream (not the polling fallback).
    assert streams, "the detail page never opened /jobs/{id}/stream"
    assert streams[0].status == 200
    assert streams[0].headers["content-type"].startswith("text/event-stream")
    expect(page.get_by_test_id("events")).to_contain_text("ocr")
    with api(dashboard) as c:
        job = c.get(f"/jobs/{job_id}").json()
    assert job["status"] == "completed", job
    assert brand == job["brand"]
    assert "zephyr" in brand.lower()
    expect(page.get_by_test_id("verdict-category")).not_to_have_text("—")
    expect(page.get_by_role("heading", name="zephyr-upload.mp4")).to_be_visible()
    # Evidence: frames with timestamps, OCR text, the explanation's attempts, the video.
    expect(page.get_by_test_id("frames").get_by_role("img").first).to_be_visible()
    expect(page.get_by_test_id("ocr-text")).to_contain_text(re.compile("zephyr", re.I))
    expect(page.get_by_test_id("attempts").locator("li").first).to_be_visible()
    video_ok = page.evaluate(
        """() => new Promise((resolve) => {
             const v = document.querySelector('video');
             if (!v) return resolve(false);
             if (v.readyState >= 1) return resolve(true);
             v.addEventListener('loadedmetadata', () => resolve(true));
             v.addEventListener('error', () => resolve(false));
             setTimeout(() => resolve(false), 10000);
           })""")
    assert video_ok, "the job's video did not load in the player"
    shot(page, "job-detail-1280")


def test_submit_by_server_path_follow_live_and_export_csv(
    dashboard: Any, page: Any
) -> None:
    video = simple_ad(dashboard.roots / "quasar-path.mp4", brand="QUASAR", product="Headphones",
                      domain="quasar.com")
    page.goto(f"{dashboard.url}/#/jobs")
    page.get_by_role("tab", name="Server file").click()
    page.get_by_label("File path on the server").fill(str(video))
    page.get_by_label("Scan mode").select_option("Tail Only")
    page.get_by_role("button", name="Submit", exact=True).click()
    submitted = page.get_by_test_id("submitted")
    expect(submitted).to_contain_text("Submitted 1 job")
    job_id = submitted.get_by_role("link").first.inner_text()

    # The queue shows it (live refresh) before we open it.
    expect(page.locator(f'tr[data-job-id="{job_id}"]')).to_be_visible(timeout=10_000)
    page.locator(f'tr[data-job-id="{job_id}"]').get_by_role("link").click()
    brand = _wait_final_verdict(page)
    assert "quasar" in brand.lower()

    with page.expect_download() as dl:
        page.get_by_role("button", name="Export CSV").click()
    download = dl.value
    assert download.suggested_filename == f"{job_id}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert len(rows) == 1
    assert rows[0]["job_id"] == job_id
    assert rows[0]["brand"] == brand
    assert rows[0]["status"] == "completed"


def test_server_path_outside_allowed_roots_is_refused_with_a_message(
    dashboard: Any, page: Any, console: Any, tmp_path: Path
) -> None:
    console.allow(r"status of 4\d\d .*/jobs/by-filepath")
    outside = tmp_path / "outside.mp4"
    outside.write_bytes(b"not really a video")
    page.goto(f"{dashboard.url}/#/jobs")
    page.get_by_role("tab", name="Server file").click()
    page.get_by_label("File path on the server").fill(str(outside))
    page.get_by_role("button", name="Submit", exact=True).click()
    alert = page.locator(".submit [role=alert]")
    expect(alert).to_be_visible()
    assert alert.inner_text().strip()
    expect(page.get_by_test_id("submitted")).to_have_count(0)


def test_bulk_delete_selected_jobs(dashboard: Any, page: Any) -> None:
    videos = [simple_ad(dashboard.roots / f"bulk-{i}.mp4", brand=f"BULK{i}", seconds=4.0)
              for i in range(2)]
    ids = [submit_file(dashboard, str(v)) for v in videos]
    keep = submit_file(dashboard, str(videos[0]))

    page.on("dialog", lambda d: d.accept())
    page.goto(f"{dashboard.url}/#/jobs")
    page.get_by_role("searchbox", name="Search jobs").fill("bulk-")
    for job_id in [*ids, keep]:
        expect(page.locator(f'tr[data-job-id="{job_id}"]')).to_be_visible(timeout=10_000)
    for job_id in ids:
        page.locator(f'tr[data-job-id="{job_id}"]').get_by_role("checkbox").check()
    button = page.get_by_test_id("bulk-delete")
    expect(button).to_have_text("Delete selected (2)")
    button.click()
    for job_id in ids:
        expect(page.locator(f'tr[data-job-id="{job_id}"]')).to_have_count(0, timeout=10_000)
    expect(page.locator(f'tr[data-job-id="{keep}"]')).to_be_visible()
    expect(button).to_have_text("Delete selected (0)")
    with api(dashboard) as c:
        for job_id in ids:
            assert c.get(f"/jobs/{job_id}").status_code == 404
        assert c.get(f"/jobs/{keep}").status_code == 200


def test_a_failing_job_shows_its_error_and_is_listed_under_failed(
    dashboard: Any, page: Any
) -> None:
    broken = dashboard.roots / "broken-ad.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42 this is not a playable video" * 20)
    job_id = submit_file(dashboard, str(broken))

    page.goto(f"{dashboard.url}/#/jobs/{job_id}")
    expect(page.get_by_test_id("stream-mode")).to_have_text("final", timeout=JOB_DONE_TIMEOUT_MS)
    expect(page.locator(".detail-actions .badge")).to_have_text("Failed")
    with api(dashboard) as c:
        error = c.get(f"/jobs/{job_id}").json()["error"]
    assert error
    expect(page.locator("#progress [role=alert]")).to_have_text(error)
    expect(page.locator(".timeline .step-failed")).to_have_count(1)
    expect(page.get_by_role("button", name="Export CSV")).to_be_enabled()

    page.get_by_role("link", name="← Jobs").click()
    page.get_by_role("tab", name="Failed").click()
    row = page.locator(f'tr[data-job-id="{job_id}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(error[:40])


def test_detail_page_shows_speech_logos_and_why_this_brand(
    dashboard: Any, page: Any, tmp_path: Path, shot: Callable[[Any, str], Path]
) -> None:
    """A real ad with an espeak-ng voice-over and a Simple Icons logo: the page shows what the
    API holds for the transcript (or why there is none), the logos drawn where they were found
    (or why none) and the brand's sources."""
    voice = speak("Hot and crispy fries. Visit mcdonalds dot com.", tmp_path / "vo.wav",
                  speed=140)
    logo = logo_png(ICONS / "mcdonalds.svg", tmp_path / "logo.png", colour="#FFC72C", height=220)
    video = make_video(dashboard.roots / "fries-voice.mp4",
                       [Scene(4.0, "darkgreen", ["Hot and crispy fries"], font_size=40),
                        Scene(4.0, "#DA291C", ["I'm lovin' it"], font_size=44, image=logo)],
                       size=(960, 540), audio_file=voice)
    job_id = submit_file(dashboard, str(video))
    page.goto(f"{dashboard.url}/#/jobs/{job_id}")
    expect(page.get_by_test_id("stream-mode")).to_have_text("final", timeout=JOB_DONE_TIMEOUT_MS)
    with api(dashboard) as c:
        job = c.get(f"/jobs/{job_id}").json()
        art = c.get(f"/jobs/{job_id}/artifacts").json()
        explanation = c.get(f"/jobs/{job_id}/explanation").json()
    assert job["status"] == "completed", job

    speech = page.get_by_role("region", name="Speech")
    expect(speech.get_by_role("heading", name="Speech")).to_be_visible()
    lines = art.get("speech_lines") or []
    if lines:
        first = speech.get_by_test_id("speech-lines").get_by_role("button").first
        expect(first).to_contain_text(lines[0]["text"])
        last = speech.get_by_test_id("speech-lines").get_by_role("button").last
        last.focus()
        page.keyboard.press("Enter")
        # The player moved to where the line starts (keyboard activation, no mouse).
        page.wait_for_function(
            "(t) => Math.abs(document.querySelector('video').currentTime - t) < 0.05",
            arg=lines[-1]["start"])
    else:
        note = art.get("speech_note") or "no speech recognised"
        expect(speech.get_by_test_id("speech-note")).to_have_text(
            re.compile(re.escape(note.rstrip(".")), re.I))

    frames = page.get_by_role("region", name=re.compile(r"^Frames"))
    logos = art.get("logos") or []
    if logos:
        expect(frames.get_by_test_id("logos").locator("li")).to_have_count(len(logos))
        with_box = [lg for lg in logos if lg.get("box_rel") and lg.get("frame")]
        expect(frames.get_by_test_id("logo-box")).to_have_count(len(with_box))
        if with_box:
            # Drawn where it was found: the box sits at box_rel of the (16:9) thumbnail.
            det = with_box[0]
            figure = frames.locator(f'figure[data-frame="{det["frame"]}"]')
            expect(figure.get_by_role("img")).to_be_visible()
            thumb = figure.get_by_role("link").bounding_box()
            box = figure.get_by_test_id("logo-box").first.bounding_box()
            assert thumb and box
            x0, y0, x1, y1 = det["box_rel"]
            assert abs((box["x"] - thumb["x"]) / thumb["width"] - x0) < 0.02, (box, thumb, det)
            assert abs((box["y"] - thumb["y"]) / thumb["height"] - y0) < 0.02, (box, thumb, det)
            assert abs(box["width"] / thumb["width"] - (x1 - x0)) < 0.02, (box, thumb, det)
            expect(figure.get_by_test_id("logo-box").first).to_contain_text(det["brand"])
    else:
        expect(frames.get_by_test_id("logo-note")).to_be_visible()

    why = page.get_by_role("region", name="Why this brand")
    expect(why.get_by_test_id("brand-evidence")).to_be_visible()
    evidence = explanation.get("brand") or {}
    if job.get("brand"):
        expect(why.locator(".brand-decided strong")).to_have_text(job["brand"])
        sources = evidence.get("sources") or []
        assert sources, f"a brand without sources in the explanation: {evidence}"
        expect(why.get_by_test_id("brand-sources").locator("li")).to_have_count(len(sources))
        expect(why.get_by_test_id("brand-sources").locator("li").first).to_contain_text(
            sources[0]["source"])
    else:
        expect(why.get_by_test_id("unknown-brand")).to_contain_text("Unknown brand: ")
        expect(page.get_by_test_id("verdict-brand")).to_have_text("Unknown brand")
    if evidence.get("disagreement"):
        expect(why.get_by_test_id("brand-disagreement")).to_contain_text(evidence["disagreement"])
    shot(page, "job-evidence-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    expect(why).to_be_visible()
    assert no_horizontal_overflow(page) == 0
    shot(page, "job-evidence-375")
