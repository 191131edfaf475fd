"""A job's own files (frames, video), read from its owner node's disk in chunks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from adclf.errors import NotFound
from adclf.services.stores import Stores

CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class JobFile:
    name: str  # the file's name on disk (its extension tells the media type)
    size: int


class FileService:
    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def info(self, job_id: str, name: str) -> JobFile:
        """`name` is "video" or a file inside the job's artifact folder; NotFound for an unknown
        job or a file the job does not have."""
        store = self.stores.for_job(job_id)
        await store.get(job_id)
        info = await store.file_info(job_id, name)
        if info is None:
            raise NotFound(f"job {job_id} has no file {name!r}")
        return JobFile(str(info["name"]), int(info["size"]))

    async def poster(self, job_id: str) -> str:
        """The artifact name of the job's poster image: its last sampled frame (the end card
        that names the brand); NotFound before the job has frames."""
        store = self.stores.for_job(job_id)
        row = await store.get(job_id)
        art = row.get("artifacts") or {}
        if isinstance(art, str):
            art = json.loads(art)
        frames = [f["name"] for f in art.get("frames", []) if f.get("name")]
        if not frames:
            raise NotFound(f"job {job_id} has no poster yet: no frame was sampled")
        return frames[-1]

    async def read(self, job_id: str, name: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes `start`..`end` (inclusive) of the file; ends early if the file shrinks or goes."""
        store = self.stores.for_job(job_id)
        pos = start
        while pos <= end:
            data = await store.read_file(job_id, name, pos, min(CHUNK, end - pos + 1))
            if not data:
                return
            pos += len(data)
            yield data
