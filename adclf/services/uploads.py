"""An uploaded video becomes a job: choose the owner node, get the file onto that node's disk
(written in place when the owner is this node, sent through Ray otherwise), create the job."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import ray
from pydantic import ValidationError

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import BadInput, TooLarge
from adclf.net.uploads import safe_suffix, save_upload
from adclf.services.stores import Stores
from adclf.services.submissions import SubmissionService, check_priority
from adclf.store.client import StoreClient

# A declared body length counts the form around the file too: allow that much over the limit
# before refusing unread (the file itself is still held to the limit while it streams).
FORM_OVERHEAD = 64 * 1024
TRANSFER_CHUNK = 8 * 1024 * 1024


class UploadForm(Protocol):
    """A streamed upload: `file_bytes()` yields the file; `fields` (the other form fields) and
    `filename` (the client's name for the file) are complete once it is exhausted."""

    def file_bytes(self) -> AsyncIterator[bytes]: ...

    @property
    def fields(self) -> Mapping[str, str]: ...

    @property
    def filename(self) -> str | None: ...


def upload_request(fields: Mapping[str, str]) -> tuple[str, JobSettings]:
    """The job's mode and settings from the form: `mode`, and `settings` as a JSON object and/or
    single settings as fields of their own (`provider`, `scan_mode`...)."""
    mode = fields.get("mode", "pipeline") or "pipeline"
    if mode not in ("pipeline", "agent"):
        raise BadInput(f"mode must be 'pipeline' or 'agent', not {mode[:40]!r}")
    raw: dict[str, Any] = {}
    if fields.get("settings"):
        try:
            raw = json.loads(fields["settings"])
        except json.JSONDecodeError as exc:
            raise BadInput(f"the 'settings' field is not valid JSON: {exc.msg}") from None
        if not isinstance(raw, dict):
            raise BadInput("the 'settings' field must be a JSON object")
    # The original's clients send settings as fields of their own, booleans as "1"/"0" and
    # categories as "Cars, Retail"; `substitutions` is the server's to write.
    for key in JobSettings.model_fields:
        if key in fields and key != "substitutions":
            raw[key] = fields[key]
    try:
        return mode, JobSettings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadInput(f"invalid setting {where}: {first['msg']}") from None


class UploadService:
    def __init__(self, settings: Settings, stores: Stores, submissions: SubmissionService,
                 here: str | None = None) -> None:
        """`here`: the Ray node id of this process (default: asked from Ray on first use)."""
        self.settings = settings
        self.stores = stores
        self.submissions = submissions
        self._here = here

    def here(self) -> str:
        if self._here is None:
            self._here = str(ray.get_runtime_context().get_node_id())
        return self._here

    def on_this_node(self, owner: str) -> bool:
        """Whether the owner's disk is this process's disk. Decided by Ray node id: asking for
        this host's IP address can hang on a host without a network (issue #15)."""
        node = self.stores.registry.get(owner)
        return node is not None and node.node_id == self.here()

    async def receive(self, form: UploadForm, declared_length: int | None,
                      client_filename: str | None) -> dict[str, Any]:
        """Store the upload on its owner node and create its job: `{job_id, status}`.
        `declared_length` is the size the client announced for the whole body, if any;
        `client_filename` only suggests the file's extension."""
        limit = self.settings.max_upload_bytes
        if declared_length is not None and declared_length > limit + FORM_OVERHEAD:
            raise TooLarge(f"the upload is larger than the {self.settings.MAX_UPLOAD_MB} MB "
                           "limit (MAX_UPLOAD_MB)")
        owner = await self.submissions.pick_owner()
        store = self.stores.for_node(owner)
        local = self.on_this_node(owner)
        tmp_root: Path | None = None
        if local:
            dest = Path(await store.local_upload_dir())
        else:
            tmp_root = dest = Path(tempfile.mkdtemp(prefix="adclf-upload-"))
        path: Path | None = None
        try:
            path, _size = await save_upload(form.file_bytes(), dest, limit, declared_length=None,
                                            suffix=safe_suffix(client_filename))
            mode, settings = upload_request(form.fields)
            priority = check_priority(form.fields.get("priority"))
            original = (form.filename or path.name)[:255]
            if not local:
                path = Path(await transfer(store, path))
            return await self.submissions.submit_upload(mode, owner, str(path), original,
                                                        settings, form.fields.get("callback_url"),
                                                        priority)
        except BaseException:
            if path is not None:
                path.unlink(missing_ok=True)
            raise
        finally:
            if tmp_root is not None:
                shutil.rmtree(tmp_root, ignore_errors=True)


async def transfer(store: StoreClient, local: Path) -> str:
    """Copy a file to the owner node through Ray, in chunks (its disk is not this one)."""
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
