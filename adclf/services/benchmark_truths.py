"""The benchmark lab's truth sets: videos (URL, server path or upload) with the expected brand,
category and optionally on-screen text, created as JSON, from CSV or by upload, and kept in the
home node's store (the first adclf node by name), so every ingress replica sees the same lab;
a truth can be edited (the original's "test"). BenchmarkService (services.benchmarks) builds the
suites and scores on this part, and deletes truths (it knows which suites use them)."""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adclf.config import Settings
from adclf.domain import VIDEO_EXTENSIONS
from adclf.errors import BadInput, NotFound, TooLarge
from adclf.net.uploads import safe_suffix, save_upload
from adclf.services.stores import Stores
from adclf.services.submissions import SubmissionService
from adclf.services.uploads import FORM_OVERHEAD, UploadForm, transfer
from adclf.store.client import StoreClient

DEFAULT_SET = "default"
CSV_COLUMNS = {
    "name": ("name", "title"),
    "video": ("video", "video_url", "source_url", "url", "path", "source"),
    "expected_brand": ("expected_brand", "brand"),
    "expected_category": ("expected_category", "category", "category_id"),
    "expected_ocr_text": ("expected_ocr_text", "ocr_text", "ocr"),
}
MAX_ITEMS = 500


def iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


class TruthSets:
    def __init__(self, settings: Settings, stores: Stores,
                 submissions: SubmissionService) -> None:
        self.settings = settings
        self.stores = stores
        self.submissions = submissions

    # ---- where the lab lives -----------------------------------------------------------------
    def home(self) -> StoreClient:
        names = sorted(n.name for n in self.stores.registry.nodes())
        if not names:
            raise NotFound("no adclf node is known; the benchmark lab lives on the first one")
        return self.stores.for_node(names[0])

    async def _taxonomy(self) -> Any:
        from adclf.pipeline.taxonomy import load_taxonomy

        return await asyncio.to_thread(load_taxonomy, self.settings)

    @staticmethod
    def _category_id(tax: Any, value: str) -> str:
        value = value.strip()
        if not value or value in tax:
            return value
        wanted = value.casefold()
        for node in tax.nodes.values():
            if node.name.casefold() == wanted:
                return str(node.id)
        raise BadInput(f"unknown category {value[:80]!r}: give a taxonomy id or name "
                       "(GET /api/taxonomy)")

    # ---- truth items ---------------------------------------------------------------------------
    async def _clean_items(self, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not raw:
            raise BadInput("a truth set needs at least one item")
        if len(raw) > MAX_ITEMS:
            raise BadInput(f"{len(raw)} items; at most {MAX_ITEMS} per request")
        tax = await self._taxonomy()
        items = []
        for n, it in enumerate(raw, 1):
            video = str(it.get("video") or it.get("video_url") or "").strip()
            kind, source = self._source(video, f"item {n}")
            items.append(self._expected(tax, it, n, kind, source, video.rsplit("/", 1)[-1]))
        return items

    def _source(self, video: str, what: str) -> tuple[str, str]:
        """(source_kind, source) of a truth video given as a URL or a server path."""
        from adclf.net.urls import validate_url
        from adclf.security.paths import resolve_allowed_path

        if not video:
            raise BadInput(f"{what}: no video (a URL or a path under ALLOWED_FOLDER_ROOTS)")
        if "://" in video:
            return "url", validate_url(video, self.settings)
        return "file", str(resolve_allowed_path(video, self.settings, want="file"))

    def _expected(self, tax: Any, it: Mapping[str, Any], n: int, kind: str, source: str,
                  default_name: str) -> dict[str, Any]:
        if not str(it.get("expected_brand") or "").strip():
            raise BadInput(f"item {n}: expected_brand is empty")
        return {
            "item_id": f"truth-{uuid.uuid4()}", "source_kind": kind, "source": source,
            "name": str(it.get("name") or "").strip()[:300] or default_name,
            "expected_brand": str(it["expected_brand"]).strip()[:300],
            "expected_category": self._category_id(tax, str(it.get("expected_category") or "")),
            "expected_ocr_text": str(it.get("expected_ocr_text") or "")[:5000],
            "expected_confidence": it.get("expected_confidence"),
            "expected_reasoning": str(it.get("expected_reasoning") or "")[:5000],
        }

    async def upload_truth(self, set_id: str, form: UploadForm, declared_length: int | None
                           ) -> dict[str, Any]:
        """One uploaded video (multipart `file`) with its expected answer (form fields
        expected_brand, expected_category, expected_ocr_text, name; set_name names a new set),
        kept on the home node; its benchmark jobs run there. Answers the set."""
        limit = self.settings.max_upload_bytes
        if declared_length is not None and declared_length > limit + FORM_OVERHEAD:
            raise TooLarge(f"the upload is larger than the {self.settings.MAX_UPLOAD_MB} MB "
                           "limit (MAX_UPLOAD_MB)")
        home = self.home()
        tmp = Path(tempfile.mkdtemp(prefix="adclf-bench-"))
        try:
            path, _size = await save_upload(form.file_bytes(), tmp, limit, declared_length=None,
                                            suffix=safe_suffix(form.filename))
            if path.suffix.lower() not in VIDEO_EXTENSIONS:
                raise BadInput("the upload is not a video (by its name and its content)")
            item = self._expected(await self._taxonomy(), form.fields, 1, "upload", "",
                                  (form.filename or path.name)[:255])
            stored = await transfer(home, path)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        item["source"] = await home.bench("adopt_upload", stored, item["item_id"])
        name = str(form.fields.get("set_name") or "").strip()[:300] or set_id
        return self._set_view(await home.bench("create_set", set_id, name, [item]))

    @staticmethod
    def parse_csv(text: str) -> list[dict[str, Any]]:
        """Rows of a truth CSV (header row; columns in CSV_COLUMNS, other columns ignored)."""
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        try:
            header = {h.strip().casefold(): h for h in reader.fieldnames or []}
            cols = {key: next((header[a] for a in aliases if a in header), None)
                    for key, aliases in CSV_COLUMNS.items()}
            if cols["video"] is None or cols["expected_brand"] is None:
                raise BadInput("the CSV needs a header with a video column (video, video_url, "
                               "url or path) and expected_brand")
            return [{k: str(row.get(c) or "").strip() for k, c in cols.items() if c}
                    for row in reader if any(str(v or "").strip() for v in row.values())]
        except csv.Error as exc:
            raise BadInput(f"the CSV cannot be read: {exc}") from None

    async def create_set(self, name: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        clean = await self._clean_items(items)
        row = await self.home().bench("create_set", f"set-{uuid.uuid4()}", name.strip(), clean)
        return self._set_view(row)

    async def import_csv(self, name: str, text: str) -> dict[str, Any]:
        return await self.create_set(name, self.parse_csv(text))

    async def truth_sets(self) -> dict[str, Any]:
        return {"truth_sets": [self._set_view(s) for s in await self.home().bench("sets")]}

    async def truth_set(self, set_id: str) -> dict[str, Any]:
        row = await self.home().bench("set", set_id)
        if row is None:
            raise NotFound(f"truth set {set_id} not found")
        return self._set_view(row)

    def _set_view(self, row: dict[str, Any]) -> dict[str, Any]:
        out = {"set_id": row["set_id"], "name": row["name"], "created_at": iso(row["created_at"]),
               "item_count": row.get("item_count", len(row.get("items", [])))}
        if "items" in row:
            out["items"] = [self._truth_view(i) for i in row["items"]]
        return out

    @staticmethod
    def _truth_view(row: dict[str, Any]) -> dict[str, Any]:
        """The original's truth shape, with the set and source kind beside it."""
        return {"truth_id": row["item_id"], "test_id": row["item_id"], "suite_id": "",
                "set_id": row["set_id"], "name": row["name"], "source_kind": row["source_kind"],
                "video_url": row["source"], "source_url": row["source"],
                "expected_brand": row["expected_brand"],
                "expected_category": row["expected_category"],
                "expected_categories": [row["expected_category"]]
                if row["expected_category"] else [],
                "expected_ocr_text": row["expected_ocr_text"],
                "expected_confidence": row.get("expected_confidence"),
                "expected_reasoning": row.get("expected_reasoning") or "", "metadata": {},
                "created_at": iso(row["created_at"]),
                "updated_at": iso(row.get("updated_at") or row["created_at"])}

    # ---- the original's single truths (kept in the default set) -------------------------------
    async def create_truth(self, item: dict[str, Any]) -> dict[str, Any]:
        clean = await self._clean_items([item])
        await self.home().bench("create_set", DEFAULT_SET, "Default", clean)
        return {"truth_id": clean[0]["item_id"]}

    async def truths(self) -> dict[str, Any]:
        return {"truths": [self._truth_view(r) for r in await self.home().bench("items", None)]}

    async def truth(self, truth_id: str) -> dict[str, Any]:
        row = await self.home().bench("item", truth_id)
        if row is None:
            raise NotFound("Benchmark truth not found")
        return self._truth_view(row)

    async def update_truth(self, truth_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Edit a truth item (the original's `PUT /benchmarks/tests/{id}`): the fields given
        and not None change, the others stay. A source equal to the current one is kept as is
        (an uploaded video's path is outside ALLOWED_FOLDER_ROOTS); a new one is checked like a
        new truth's. `expected_categories` sets the category when `expected_category` is not
        given (an item has one expected category; empty entries are skipped)."""
        home = self.home()
        row = await home.bench("item", truth_id)
        if row is None:
            raise NotFound("Benchmark truth not found")
        edit: dict[str, Any] = {}
        source = changes.get("source_url")
        if source is not None and source.strip() != row["source"]:
            edit["source_kind"], edit["source"] = self._source(source.strip(), "source_url")
        if changes.get("expected_brand") is not None:
            edit["expected_brand"] = changes["expected_brand"].strip()[:300]
            if not edit["expected_brand"]:
                raise BadInput("expected_brand is empty")
        category = changes.get("expected_category")
        listed = [c for c in changes.get("expected_categories") or [] if c.strip()]
        if category is None and listed:
            category = listed[0]
        if category is not None:
            edit["expected_category"] = self._category_id(await self._taxonomy(), category)
        for key in ("expected_ocr_text", "expected_reasoning"):
            if changes.get(key) is not None:
                edit[key] = changes[key][:5000]
        if changes.get("expected_confidence") is not None:
            edit["expected_confidence"] = float(changes["expected_confidence"])
        got = await home.bench("update_item", truth_id, edit)
        if got is None:
            raise NotFound("Benchmark truth not found")
        return self._truth_view(got)
