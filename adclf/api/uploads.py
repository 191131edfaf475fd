"""Receiving an upload and getting it onto its owner node's disk."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ray
from starlette.requests import Request

from adclf.api.deps import Services
from adclf.api.multipart import MultipartUpload
from adclf.domain import JobSettings
from adclf.errors import TooLarge
from adclf.net.uploads import safe_suffix, save_upload
from adclf.store.client import StoreClient

MULTIPART_OVERHEAD = 64 * 1024
TRANSFER_CHUNK = 8 * 1024 * 1024


async def receive_upload(
    request: Request,
    services: Services,
    content_length: int | None,
    parse_settings: Callable[[dict[str, str]], tuple[str, JobSettings]],
) -> dict[str, Any]:
    limit = services.settings.max_upload_bytes
    if content_length is not None and content_length > limit + MULTIPART_OVERHEAD:
        raise TooLarge(f"the upload is larger than the {services.settings.MAX_UPLOAD_MB} MB "
                       "limit (MAX_UPLOAD_MB)")
    owner = await services.jobs.pick_owner()
    store = services.jobs.store(owner)
    node = services.registry.get(owner)
    same_host = node is not None and node.address == ray.util.get_node_ip_address()
    form = MultipartUpload(request)
    if same_host:
        # The owner's upload folder is on this machine's disk: write straight into it.
        dest = Path(await store._call("local_upload_dir"))
        tmp_root = None
    else:
        tmp_root = Path(tempfile.mkdtemp(prefix="adclf-upload-"))
        dest = tmp_root
    path: Path | None = None
    try:
        path, _size = await save_upload(form.file_bytes(), dest, limit, declared_length=None,
                                        suffix=safe_suffix(request.headers.get("x-filename")))
        mode, settings = parse_settings(form.fields)
        original = (form.filename or path.name)[:255]
        if not same_host:
            path = Path(await _transfer(store, path))
        return await services.jobs.submit_upload(mode, owner, str(path), original, settings)
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    finally:
        if tmp_root is not None:
            shutil.rmtree(tmp_root, ignore_errors=True)


async def _transfer(store: StoreClient, local: Path) -> str:
    """Copy a file to the owner node through Ray, in chunks (ingress on another machine)."""
    token = await store.upload_open(local.suffix)
    try:
        with local.open("rb") as fh:
            while chunk := fh.read(TRANSFER_CHUNK):
                await store.upload_append(token, chunk)
    except BaseException:
        await store.upload_close(token, abort=True)
        raise
    final = await store.upload_close(token)
    assert final is not None
    return final
