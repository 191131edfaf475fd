"""The benchmark lab: suites that run a matrix of settings over a truth set through the normal
job path, and the scores of each configuration (truth sets: services.benchmark_truths).

The jobs are placed like any other job (low priority, one batch per suite, whose id is the
suite's) and stay on their owner nodes; uploaded truth videos are on the home node's disk only,
so their jobs run there. Scores are computed from the jobs' stored results when asked
(benchmark_scoring), saved in the home store and exported from there. Deleting a suite or a
truth deletes its jobs through the normal job path (a running one is aborted); a truth that an
unfinished suite uses is kept (409). Answers keep the original's `/api/benchmark/*` and
`/benchmarks/*` shapes, with ours beside them."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from typing import Any

from pydantic import ValidationError

from adclf.config import Settings
from adclf.domain import JobSettings
from adclf.errors import BadInput, Conflict, NotFound, Unavailable
from adclf.services import benchmark_scoring as scoring
from adclf.services.benchmark_truths import TruthSets, iso
from adclf.services.jobs import JobService
from adclf.services.stores import Stores, owner_of
from adclf.services.submissions import SubmissionService
from adclf.store.benchmarks import Format, Table


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value else value


class BenchmarkService(TruthSets):
    def __init__(self, settings: Settings, stores: Stores, submissions: SubmissionService,
                 jobs: JobService) -> None:
        super().__init__(settings, stores, submissions)
        self.jobs = jobs

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
        # Uploaded videos are on the home node's disk only: their jobs run there.
        placed = [i for i, sp in enumerate(specs) if sp["source_kind"] != "upload"]
        homed = [i for i, sp in enumerate(specs) if sp["source_kind"] == "upload"]
        if placed:
            created = await self.submissions.create([specs[i] for i in placed], "low",
                                                    batch_id=suite_id)
            for i, job in zip(placed, created, strict=True):
                runs[i]["job_id"] = job["job_id"]
        if homed:
            rows = await home.create_jobs([{**specs[i], "priority": "low", "batch_id": suite_id}
                                           for i in homed])
            for i, row in zip(homed, rows, strict=True):
                runs[i]["job_id"] = row["job_id"]
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
                "truth_name": row["set_id"], "name": row["name"],
                "description": row.get("description") or "",
                "matrix": row["matrix"], "test_count": len({r["item_id"] for r in row["runs"]}),
                **self._counts(row["runs"], jobs), "evaluated_at": None,
                "created_at": iso(row["created_at"]),
                "updated_at": iso(row.get("updated_at") or row["created_at"])}

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

    async def update_suite(self, suite_id: str, name: str, description: str
                           ) -> dict[str, Any]:
        """Rename a suite / change its description (the original's `PUT /benchmarks/suites`)."""
        row = await self.home().bench("update_suite", suite_id, name.strip(),
                                      description.strip())
        if row is None:
            raise NotFound("Benchmark suite not found")
        return self._suite_view(row, await self._jobs([r["job_id"] for r in row["runs"]]))

    async def delete_suite(self, suite_id: str) -> dict[str, Any]:
        """The suite's jobs (queued ones dropped, running ones aborted), then the suite, its runs
        and its scores. Its truths stay: a truth set outlives the suites run over it, so
        `deleted_tests` is always 0 (the original deleted the suite's truth too)."""
        row = await self._suite_row(suite_id)
        jobs = await self._drop_jobs([r["job_id"] for r in row["runs"]], f"suite {suite_id}")
        removed = await self.home().bench("delete_suite", suite_id)
        if removed is None:
            raise NotFound("Benchmark suite not found")
        return {"status": "deleted", "suite_id": suite_id, "deleted_tests": 0,
                "deleted_jobs": jobs, "deleted_results": removed["scores"]}

    async def _drop_jobs(self, job_ids: list[str], what: str) -> int:
        """Delete jobs through the job path; refuse (503) rather than leave one behind unseen."""
        got = await self.jobs.delete(job_ids)
        if got["unavailable"]:
            raise Unavailable(f"{len(got['unavailable'])} jobs of {what} are on nodes that do "
                              "not answer; nothing else was deleted, try again later")
        return len(got["deleted"])

    # ---- deleting a truth (here: it needs the suites) ------------------------------------------
    async def _remove_truth(self, truth_id: str) -> dict[str, Any]:
        """Delete a truth item, its jobs and its runs in every suite; 409 while a suite that
        ran it is unfinished (its jobs would lose their expected answer mid-run)."""
        home = self.home()
        item = await home.bench("item", truth_id)
        if item is None:
            raise NotFound("Benchmark truth not found")
        job_ids: list[str] = []
        for suite_id in await home.bench("item_suites", truth_id):
            row = await home.bench("suite", suite_id)
            if row is None:
                continue  # deleted meanwhile
            jobs = await self._jobs([r["job_id"] for r in row["runs"]])
            if self._counts(row["runs"], jobs)["status"] != "completed":
                named = f"{suite_id} ({row['name']})" if row["name"] else suite_id
                raise Conflict(f"Cannot delete: benchmark suite {named} is still running over "
                               "this truth; wait for it to finish or delete the suite first")
            job_ids += [r["job_id"] for r in row["runs"] if r["item_id"] == truth_id]
        deleted_jobs = await self._drop_jobs(job_ids, f"truth {truth_id}")
        if not await home.bench("delete_item", truth_id):
            raise NotFound("Benchmark truth not found")
        return {"set_id": item["set_id"], "deleted_jobs": deleted_jobs}

    async def delete_truth(self, truth_id: str) -> dict[str, Any]:
        """`DELETE /api/benchmark/truths/{id}`: the original's `{deleted}`, ours beside it."""
        removed = await self._remove_truth(truth_id)
        return {"deleted": truth_id, **removed}

    async def delete_test(self, truth_id: str) -> dict[str, Any]:
        """`DELETE /benchmarks/tests/{id}`: the same deletion in the original's test shape."""
        removed = await self._remove_truth(truth_id)
        return {"status": "deleted", "test_id": truth_id, "suite_id": "", **removed}

    # ---- results -------------------------------------------------------------------------------
    async def _same_brand(self) -> scoring.SameBrand:
        """The brand catalogue's judgement of two names (loaded once, off the event loop)."""
        from adclf.pipeline.brand_catalogue import get_catalogue

        catalogue = await asyncio.to_thread(get_catalogue, self.settings.BRANDS_PATH)
        return catalogue.same_advertiser

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
        configurations, scores = scoring.score_suite(runs, await self._same_brand())
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
