"""The benchmark lab: truth sets (videos with their expected answers), suites that run a matrix
of settings over a set through the normal job path, and the scores of each configuration.

All benchmark rows live in one node's store, the home node (the first adclf node by name), so
every ingress replica sees the same lab; the jobs themselves are placed like any other job
(low priority, one batch per suite) and stay on their owner nodes. Scores are computed from the
jobs' stored results when asked (benchmark_scoring), saved in the home store and exported from
there. Answers keep the original's `/api/benchmark/*` shapes, with ours beside them."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import BadInput, NotFound
from adclf.services import benchmark_scoring as scoring
from adclf.services.stores import Stores, owner_of
from adclf.services.submissions import SubmissionService
from adclf.store.benchmarks import Format, Table
from adclf.store.client import StoreClient

DEFAULT_SET = "default"
CSV_COLUMNS = {
    "name": ("name", "title"),
    "video": ("video", "video_url", "source_url", "url", "path", "source"),
    "expected_brand": ("expected_brand", "brand"),
    "expected_category": ("expected_category", "category", "category_id"),
    "expected_ocr_text": ("expected_ocr_text", "ocr_text", "ocr"),
}
MAX_ITEMS = 1000


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat() if ts is not None else None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value else value


class BenchmarkService:
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
        from adclf.net.urls import validate_url
        from adclf.security.paths import resolve_allowed_path

        if not raw:
            raise BadInput("a truth set needs at least one item")
        if len(raw) > MAX_ITEMS:
            raise BadInput(f"{len(raw)} items; at most {MAX_ITEMS} per request")
        tax = await self._taxonomy()
        items = []
        for n, it in enumerate(raw, 1):
            video = str(it.get("video") or it.get("video_url") or "").strip()
            if not video:
                raise BadInput(f"item {n}: no video (a URL or a path under ALLOWED_FOLDER_ROOTS)")
            if "://" in video:
                kind, source = "url", validate_url(video, self.settings)
            else:
                kind, source = "file", str(resolve_allowed_path(video, self.settings,
                                                                want="file"))
            if not str(it.get("expected_brand") or "").strip():
                raise BadInput(f"item {n}: expected_brand is empty")
            items.append({
                "item_id": f"truth-{uuid.uuid4()}", "source_kind": kind, "source": source,
                "name": str(it.get("name") or "").strip() or video.rsplit("/", 1)[-1],
                "expected_brand": str(it["expected_brand"]).strip(),
                "expected_category": self._category_id(tax,
                                                       str(it.get("expected_category") or "")),
                "expected_ocr_text": str(it.get("expected_ocr_text") or ""),
            })
        return items

    @staticmethod
    def parse_csv(text: str) -> list[dict[str, Any]]:
        """Rows of a truth CSV (header row; columns in CSV_COLUMNS, other columns ignored)."""
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        header = {h.strip().casefold(): h for h in reader.fieldnames or []}
        cols = {key: next((header[a] for a in aliases if a in header), None)
                for key, aliases in CSV_COLUMNS.items()}
        if cols["video"] is None or cols["expected_brand"] is None:
            raise BadInput("the CSV needs a header with a video column (video, video_url, url "
                           "or path) and expected_brand")
        return [{k: (row.get(c) or "").strip() for k, c in cols.items() if c}
                for row in reader if any((v or "").strip() for v in row.values())]

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
        out = {"set_id": row["set_id"], "name": row["name"], "created_at": _iso(row["created_at"]),
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
                "expected_ocr_text": row["expected_ocr_text"], "metadata": {},
                "created_at": _iso(row["created_at"]), "updated_at": _iso(row["created_at"])}

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

    async def delete_truth(self, truth_id: str) -> dict[str, Any]:
        if not await self.home().bench("delete_item", truth_id):
            raise NotFound("Benchmark truth not found")
        return {"deleted": truth_id}

    # ---- suites --------------------------------------------------------------------------------
    @staticmethod
    def configurations(matrix: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Every combination of the matrix, checked (and spelled) as job settings."""
        axes = [matrix.get(k) or [] for k in scoring.CONFIG_KEYS]
        configs = []
        for combo in itertools.product(*axes):
            try:
                js = JobSettings.model_validate(dict(zip(scoring.CONFIG_KEYS, combo, strict=True)))
            except ValidationError as exc:
                raise BadInput(f"bad setting in the matrix {combo}: "
                               f"{exc.errors()[0].get('msg', exc)}") from None
            config = {k: getattr(js, k) for k in scoring.CONFIG_KEYS}
            if config not in configs:
                configs.append(config)
        if not configs:
            raise BadInput("the matrix is empty: give at least one value on every axis")
        return configs

    async def start_suite(self, matrix: dict[str, list[str]], set_id: str | None = None,
                          truth_id: str | None = None, name: str = "",
                          model_name: str | None = None) -> dict[str, Any]:
        """Submit one low-priority job per configuration x truth item, as one batch."""
        home = self.home()
        if truth_id:
            item = await home.bench("item", truth_id)
            if item is None:
                raise NotFound("Benchmark truth not found")
            items, set_id = [item], item["set_id"]
        elif set_id:
            items = await home.bench("items", set_id)
            if not items:
                raise NotFound(f"truth set {set_id} not found or empty")
        else:
            raise BadInput("give set_id (a truth set) or truth_id (one truth)")
        matrix = {**matrix, "provider": matrix.get("provider") or [
            self.settings.DEFAULT_PROVIDER]}
        configs = self.configurations(matrix)
        specs, runs = [], []
        for config in configs:
            settings = {**config, **({"model_name": model_name} if model_name else {})}
            for item in items:
                specs.append({"mode": "pipeline", "source_kind": item["source_kind"],
                              "source": item["source"], "original_name": item["name"],
                              "settings": settings, "callback_url": None})
                runs.append({"config_key": scoring.config_key(config), "config": config,
                             "item_id": item["item_id"]})
        if len(specs) > self.settings.MAX_URLS_PER_REQUEST:
            raise BadInput(f"{len(specs)} jobs; the limit per suite is "
                           f"{self.settings.MAX_URLS_PER_REQUEST} (MAX_URLS_PER_REQUEST)")
        suite_id = f"suite-{uuid.uuid4()}"
        created = await self.submissions.create(specs, "low", batch_id=suite_id)
        for run, job in zip(runs, created, strict=True):
            run["job_id"] = job["job_id"]
        suite = {"suite_id": suite_id, "name": name.strip() or f"Suite over {set_id}",
                 "set_id": set_id, "batch_id": suite_id,
                 "matrix": {**{k: sorted({c[k] for c in configs}) for k in scoring.CONFIG_KEYS},
                            "permutations": len(configs)}}
        await home.bench("create_suite", suite, runs)
        return {"suite_id": suite_id, "set_id": set_id, "truth_id": truth_id or "",
                "source_truth_id": truth_id or "", "jobs_enqueued": len(runs),
                "matrix": suite["matrix"],
                "jobs": [{"job_id": r["job_id"], "params": r["config"]} for r in runs]}

    async def _suite_row(self, suite_id: str) -> dict[str, Any]:
        row = await self.home().bench("suite", suite_id)
        if row is None:
            raise NotFound("Benchmark suite not found")
        return dict(row)

    async def _jobs(self, job_ids: list[str]) -> dict[str, dict[str, Any]]:
        by_owner: dict[str, list[str]] = {}
        for job_id in job_ids:
            by_owner.setdefault(owner_of(job_id), []).append(job_id)
        got = await asyncio.gather(*(self.stores.for_node(o).get_many(ids)
                                     for o, ids in by_owner.items()), return_exceptions=True)
        return {r["job_id"]: r for rows in got if not isinstance(rows, BaseException)
                for r in rows}

    @staticmethod
    def _counts(runs: list[dict[str, Any]], jobs: dict[str, dict[str, Any]]) -> dict[str, Any]:
        statuses = [jobs.get(r["job_id"], {}).get("status", "deleted") for r in runs]
        done = sum(s == "completed" for s in statuses)
        failed = sum(s in ("failed", "deleted") for s in statuses)
        return {"status": "completed" if done + failed == len(runs) else "running",
                "total_jobs": len(runs), "completed_jobs": done, "failed_jobs": failed}

    def _suite_view(self, row: dict[str, Any], jobs: dict[str, dict[str, Any]]
                    ) -> dict[str, Any]:
        return {"suite_id": row["suite_id"], "truth_id": row["set_id"], "set_id": row["set_id"],
                "truth_name": row["set_id"], "name": row["name"], "description": "",
                "matrix": row["matrix"], "test_count": len({r["item_id"] for r in row["runs"]}),
                **self._counts(row["runs"], jobs), "evaluated_at": None,
                "created_at": _iso(row["created_at"]), "updated_at": _iso(row["created_at"])}

    async def suites(self) -> dict[str, Any]:
        rows = [await self._suite_row(s["suite_id"]) for s in await self.home().bench("suites")]
        jobs = await self._jobs([r["job_id"] for row in rows for r in row["runs"]])
        return {"suites": [self._suite_view(row, jobs) for row in rows]}

    async def suite(self, suite_id: str) -> dict[str, Any]:
        row = await self._suite_row(suite_id)
        jobs = await self._jobs([r["job_id"] for r in row["runs"]])
        items = await self.home().bench("items", row["set_id"])
        return {**self._suite_view(row, jobs), "runs": row["runs"],
                "tests": [self._truth_view(i) for i in items]}

    # ---- results -------------------------------------------------------------------------------
    async def results(self, suite_id: str) -> dict[str, Any]:
        """Score the suite from its jobs as they are now, store the scores, answer both the
        original's scatter `points` and our per-configuration `configurations`."""
        row = await self._suite_row(suite_id)
        jobs = await self._jobs([r["job_id"] for r in row["runs"]])
        items = {i["item_id"]: i for i in await self.home().bench("items", row["set_id"])}
        tax = await self._taxonomy()

        def lineage(cat: str) -> list[str]:
            return [str(n.id) for n in tax.ancestors(cat)] if cat and cat in tax else []

        runs = []
        for r in row["runs"]:
            item = items.get(r["item_id"], {})
            job = jobs.get(r["job_id"], {"status": "deleted"})
            result = _json(job.get("result")) or {}
            started, finished = job.get("started_at"), job.get("finished_at")
            runs.append(scoring.Run(
                config_key=r["config_key"], config=r["config"], item_id=r["item_id"],
                job_id=r["job_id"],
                expected=scoring.Expected(item.get("expected_brand", ""),
                                          lineage(item.get("expected_category", "")),
                                          item.get("expected_ocr_text", "")),
                outcome=scoring.Outcome(
                    status="failed" if job["status"] == "deleted" else job["status"],
                    brand=str(result.get("brand") or ""),
                    category_lineage=lineage(str(result.get("category_id") or "")),
                    ocr_text=str((_json(job.get("artifacts")) or {}).get("ocr_text") or ""),
                    confidence=result.get("confidence"),
                    latency=round(finished - started, 4) if started and finished else None)))
        configurations, scores = scoring.score_suite(runs)
        score_rows = [vars(s) for s in scores]
        await self.home().bench("save_results", suite_id, configurations, score_rows)
        return {"suite_id": suite_id, **self._counts(row["runs"], jobs),
                "points": [self._point(s, r.config) for s, r in zip(scores, runs, strict=True)],
                "path_metrics": {}, "configurations": configurations, "runs": score_rows}

    @staticmethod
    def _point(s: scoring.RunScore, config: dict[str, Any]) -> dict[str, Any]:
        cls = float(bool(s.brand_ok)) if s.category_ok is None else \
            (float(bool(s.brand_ok)) + float(bool(s.category_ok))) / 2
        ocr = s.ocr_similarity if s.ocr_similarity is not None else 0.0
        return {"job_id": s.job_id, "x_duration_seconds": s.latency,
                "y_composite_accuracy_pct": round(cls * 100.0, 2),
                "classification_accuracy": cls, "ocr_accuracy": ocr, "params": config,
                "label": s.config_key}

    async def export(self, suite_id: str, fmt: Format, table: Table = "configurations"
                     ) -> bytes:
        """The suite's scores (recomputed now) as CSV or Parquet."""
        await self.results(suite_id)
        data: bytes = await self.home().bench("export", suite_id, table, fmt)
        return data
