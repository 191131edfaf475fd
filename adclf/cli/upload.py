"""Uploading one local video as multipart/form-data, streamed from disk so that big files use no
memory and can report progress while they are sent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from adclf.cli.client import ApiClient, ApiError

CHUNK = 256 * 1024
# After the last byte the server may still copy the file to another node through Ray.
UPLOAD_ANSWER_SECONDS = 600.0

ProgressFn = Callable[[int], None]


def _quote(value: str) -> str:
    # Quoted-string in Content-Disposition: a quote or a line break would end the header.
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "").replace("\n", "")


def multipart_parts(path: Path, fields: dict[str, str], boundary: str
                    ) -> tuple[bytes, bytes]:
    """The bytes before and after the file's content."""
    head = bytearray()
    for name, value in fields.items():
        head += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                 f"{value}\r\n").encode()
    head += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
             f"filename=\"{_quote(path.name)}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return bytes(head), tail


def _body(path: Path, head: bytes, tail: bytes, on_progress: ProgressFn | None
          ) -> Iterator[bytes]:
    yield head
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
            if on_progress is not None:
                on_progress(len(chunk))
    yield tail


def upload_file(client: ApiClient, path: Path, mode: str, settings: dict[str, Any],
                on_progress: ProgressFn | None = None, priority: str | None = None
                ) -> dict[str, Any]:
    """POST /jobs/upload; returns `{job_id, status}`."""
    boundary = f"adclf-{uuid.uuid4().hex}"
    fields = {"mode": mode}
    if priority:
        fields["priority"] = priority
    if settings:
        fields["settings"] = json.dumps(settings)
    head, tail = multipart_parts(path, fields, boundary)
    size = path.stat().st_size
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        # A declared length lets the server refuse an oversize file before it is sent.
        "Content-Length": str(len(head) + size + len(tail)),
        # The server keeps the extension from this header; a non-ASCII name cannot be a header.
        "X-Filename": path.name if path.name.isascii() else f"upload{path.suffix}",
    }
    try:
        response = client.http.post("/jobs/upload", content=_body(path, head, tail, on_progress),
                                    headers=headers,
                                    timeout=httpx.Timeout(60.0, connect=10.0,
                                                            read=UPLOAD_ANSWER_SECONDS))
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        # The server may answer 413 and close while the body is still being written.
        raise ApiError(f"the server closed the connection while {path.name} was being uploaded "
                       f"({type(exc).__name__}); the file may exceed the server's "
                       "MAX_UPLOAD_MB limit") from None
    except httpx.HTTPError as exc:
        raise client.transport_error(exc) from None
    client.check(response)
    got: dict[str, Any] = response.json()
    return got
