"""FileService against a real store actor: a job's video, whole and by byte range."""

from __future__ import annotations

import asyncio

import pytest
from services_support import NODE, Fleet

from adclf.domain import JobSettings
from adclf.errors import NotFound
from adclf.services import files as files_module


async def _collect(it: object) -> bytes:
    return b"".join([chunk async for chunk in it])  # type: ignore[attr-defined]


def test_a_jobs_video_whole_and_in_ranges(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    services = fleet.services
    data = fleet.video.read_bytes()
    # Small chunks: a range spans several store reads.
    monkeypatch.setattr(files_module, "CHUNK", 4096)

    async def run() -> None:
        job_id = (await services.submissions.submit_filepath(
            "pipeline", str(fleet.video), JobSettings()))["job_id"]
        try:
            info = await services.files.info(job_id, "video")
            assert info.size == len(data) and info.name == fleet.video.name
            assert await _collect(services.files.read(job_id, "video", 0, info.size - 1)) == data
            assert await _collect(services.files.read(job_id, "video", 10, 10_009)) == \
                data[10:10_010]
            # Past the end: what there is.
            assert await _collect(services.files.read(job_id, "video", info.size - 5,
                                                      info.size + 100)) == data[-5:]
            with pytest.raises(NotFound, match="has no file"):
                await services.files.info(job_id, "frame_0001.jpg")
            with pytest.raises(NotFound, match="has no file"):
                await services.files.info(job_id, "../../etc/passwd")
        finally:
            await services.jobs.delete_one(job_id)
        with pytest.raises(NotFound, match="not found"):
            await services.files.info(job_id, "video")
        with pytest.raises(NotFound):
            await services.files.info(f"{NODE}-not-an-id", "video")

    asyncio.run(run())
