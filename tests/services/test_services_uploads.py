"""UploadService against a real store actor: where the file lands, which path it takes, what a
refused upload leaves behind."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import pytest
import ray
from services_support import NODE, BytesForm, Fleet

from adclf.domain import JobSettings
from adclf.errors import BadInput, TooLarge
from adclf.services.uploads import UploadService, upload_request


def _no_ip_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking up this host's IP address hangs on a host without a network (issue #15)."""
    import ray._private.services as ray_services

    def refuse() -> str:
        raise AssertionError("the upload asked for this host's IP address")

    monkeypatch.setattr(ray.util, "get_node_ip_address", refuse)
    monkeypatch.setattr(ray_services, "get_node_ip_address", refuse)


def test_upload_on_this_node_is_written_in_place_and_becomes_a_job(
        fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ip_lookups(monkeypatch)

    def no_temp_copy(*args: object, **kwargs: object) -> str:
        raise AssertionError("an upload for this node went through a temporary folder")

    monkeypatch.setattr(tempfile, "mkdtemp", no_temp_copy)
    data = fleet.video.read_bytes()
    form = BytesForm(data, {"mode": "pipeline",
                            "settings": json.dumps({"scan_mode": "Full Video"})}, "my ad.mp4")
    before = fleet.stored_uploads()
    uploads = fleet.services.uploads
    assert uploads.on_this_node(NODE)
    created = asyncio.run(uploads.receive(form, len(data) + 500, "my ad.mp4"))
    assert created["job_id"].startswith(f"{NODE}-") and created["status"] == "queued"
    job = asyncio.run(fleet.services.jobs.job(created["job_id"]))
    assert job["source_kind"] == "upload" and job["original_name"] == "my ad.mp4"
    assert job["settings"]["scan_mode"] == "Full Video"
    (stored,) = fleet.stored_uploads() - before
    assert stored.read_bytes() == data and stored.suffix == ".mp4"
    row = asyncio.run(fleet.services.jobs.row(created["job_id"]))
    assert Path(row["source"]) == stored
    asyncio.run(fleet.services.jobs.delete_one(created["job_id"]))


def test_upload_from_another_node_is_sent_through_ray(fleet: Fleet,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _no_ip_lookups(monkeypatch)
    services = fleet.services
    # The same services as a replica on another Ray node would run them.
    elsewhere = UploadService(fleet.settings, services.uploads.stores, services.submissions,
                              here="0" * 56)
    assert not elsewhere.on_this_node(NODE)
    temp_before = set(Path(tempfile.gettempdir()).glob("adclf-upload-*"))
    before = fleet.stored_uploads()
    data = fleet.video.read_bytes()
    created = asyncio.run(elsewhere.receive(BytesForm(data, chunk=100_000), None, "clip.MOV"))
    (stored,) = fleet.stored_uploads() - before
    assert stored.read_bytes() == data and stored.suffix == ".mov"
    assert set(Path(tempfile.gettempdir()).glob("adclf-upload-*")) == temp_before
    assert asyncio.run(services.jobs.job(created["job_id"]))["original_name"] == "ad.mp4"
    asyncio.run(services.jobs.delete_one(created["job_id"]))


@pytest.mark.parametrize("here", [None, "0" * 56], ids=["in place", "through Ray"])
def test_a_refused_upload_leaves_no_file_and_no_job(fleet: Fleet, here: str | None) -> None:
    services = fleet.services
    uploads = UploadService(fleet.settings, services.uploads.stores, services.submissions, here)
    before_files = fleet.stored_uploads()
    total = asyncio.run(services.jobs.list_node(None, None, None, 1, 0))["total"]
    html = BytesForm(b"<!DOCTYPE html><html>" + b"x" * 200_000)
    with pytest.raises(BadInput, match="not a video"):
        asyncio.run(uploads.receive(html, None, "page.mp4"))
    bad_mode = BytesForm(fleet.video.read_bytes(), {"mode": "turbo"})
    with pytest.raises(BadInput, match="mode"):
        asyncio.run(uploads.receive(bad_mode, None, None))
    assert fleet.stored_uploads() == before_files
    assert asyncio.run(services.jobs.list_node(None, None, None, 1, 0))["total"] == total


def test_a_declared_size_over_the_limit_is_refused_unread(fleet: Fleet) -> None:
    form = BytesForm(fleet.video.read_bytes())
    limit = fleet.settings.max_upload_bytes
    with pytest.raises(TooLarge, match="MAX_UPLOAD_MB"):
        asyncio.run(fleet.services.uploads.receive(form, limit + 1024 * 1024, "ad.mp4"))
    assert form.read == 0


def test_a_file_over_the_limit_is_refused_while_it_streams(fleet: Fleet) -> None:
    before = fleet.stored_uploads()
    big = fleet.video.read_bytes() + b"\0" * 2 * fleet.settings.max_upload_bytes
    form = BytesForm(big, chunk=1024 * 1024)
    with pytest.raises(TooLarge):
        asyncio.run(fleet.services.uploads.receive(form, None, "ad.mp4"))
    assert form.read < len(big)
    assert fleet.stored_uploads() == before


def test_form_fields_give_the_mode_and_settings() -> None:
    mode, settings = upload_request({"mode": "agent", "settings": '{"scan_mode": "Express"}',
                                     "ocr_engine": "tesseract"})
    assert mode == "agent" and settings.scan_mode == "Express"
    assert settings.ocr_engine == "tesseract"
    assert upload_request({}) == ("pipeline", JobSettings())
    for fields, message in [({"settings": "{nope"}, "not valid JSON"),
                            ({"settings": "[1]"}, "JSON object"),
                            ({"scan_mode": "Sideways"}, "invalid setting scan_mode")]:
        with pytest.raises(BadInput, match=message):
            upload_request(fields)
