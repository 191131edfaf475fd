"""Serving a job's own files (frames, video) with HTTP ranges; the bytes come from FileService."""

from __future__ import annotations

import mimetypes
import re

from fastapi import Response
from fastapi.responses import StreamingResponse

from adclf.services.files import FileService

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


async def send_file(files: FileService, job_id: str, name: str, range_header: str | None,
                    cache: str | None = None) -> Response:
    info = await files.info(job_id, name)
    size = info.size
    media = mimetypes.guess_type(info.name)[0] or "application/octet-stream"
    start, end, status = 0, size - 1, 200
    if range_header:
        match = _RANGE.match(range_header.strip())
        if not match or (not match.group(1) and not match.group(2)):
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        else:
            start = max(0, size - int(match.group(2)))
        if start > end or start >= size:
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1)}
    if cache:
        headers["Cache-Control"] = cache
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(files.read(job_id, name, start, end), status_code=status,
                             media_type=media, headers=headers)
