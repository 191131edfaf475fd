"""BenchmarkService's edits and deletions against a real store actor (no workers: a suite's jobs
stay queued until the test plays the worker): a truth a running suite uses is kept (Conflict),
deleting a suite deletes its jobs through the job path (a running one is aborted), deleting a
finished suite's truth deletes that truth's jobs and runs only, and a truth is edited field by
field with the same checks as a new one."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest
from services_support import Fleet

from adclf.errors import BadInput, Conflict, Forbidden, NotFound

MATRIX = {"provider": ["embedded"], "scan_mode": ["Tail Only"], "ocr_engine": ["rapidocr"],
          "ocr_mode": ["Fast"]}


def _set(fleet: Fleet, names: list[str]) -> dict[str, Any]:
    items = [{"name": n, "video": str(fleet.video), "expected_brand": "Nike",
              "expected_category": "Footwear"} for n in names]
    return asyncio.run(fleet.services.benchmarks.create_set("svc", items))


def _finish(fleet: Fleet, job_ids: list[str]) -> None:
    for _ in job_ids:
        claimed = fleet.worker.claim("bench-worker", 5.0)
        assert claimed is not None and claimed["job_id"] in job_ids
        assert fleet.worker.complete(claimed["job_id"], "bench-worker",
                                     {"brand": "Nike", "category_id": "1070",
                                      "confidence": 0.9}, {"attempts": []}, {"frames": []})


def test_a_running_suite_keeps_its_truth_and_its_deletion_aborts_its_jobs(
        clean_node: Fleet) -> None:
    lab, jobs = clean_node.services.benchmarks, clean_node.services.jobs
    made = _set(clean_node, ["a", "b"])
    truth_id = made["items"][0]["truth_id"]
    run = asyncio.run(lab.start_suite(MATRIX, set_id=made["set_id"], name="first"))
    suite_id = run["suite_id"]
    running, queued = (j["job_id"] for j in run["jobs"])
    claimed = clean_node.worker.claim("bench-worker", 5.0)  # one job is running, one queued
    assert claimed is not None and claimed["job_id"] == running

    renamed = asyncio.run(lab.update_suite(suite_id, "  Tail only  ", " a note "))
    assert (renamed["name"], renamed["description"], renamed["status"]) == (
        "Tail only", "a note", "running")
    assert renamed["total_jobs"] == 2 and renamed["updated_at"] >= renamed["created_at"]
    listed = asyncio.run(lab.suites())["suites"]
    assert any(s["suite_id"] == suite_id and s["description"] == "a note" for s in listed)

    for delete in (lab.delete_truth, lab.delete_test):
        with pytest.raises(Conflict, match=f"suite {suite_id} .* still running"):
            asyncio.run(delete(truth_id))
    assert asyncio.run(lab.truth(truth_id))["truth_id"] == truth_id

    assert asyncio.run(lab.delete_suite(suite_id)) == {
        "status": "deleted", "suite_id": suite_id, "deleted_tests": 0, "deleted_jobs": 2,
        "deleted_results": 0}
    for job_id in (running, queued):
        with pytest.raises(NotFound):
            asyncio.run(jobs.job(job_id))
    assert not clean_node.worker.heartbeat(running, "bench-worker")  # the worker is told
    for call in (lab.suite, lab.delete_suite):
        with pytest.raises(NotFound, match="Benchmark suite not found"):
            asyncio.run(call(suite_id))
    with pytest.raises(NotFound):
        asyncio.run(lab.update_suite(suite_id, "x", ""))

    assert asyncio.run(lab.delete_truth(truth_id)) == {
        "deleted": truth_id, "set_id": made["set_id"], "deleted_jobs": 0}
    with pytest.raises(NotFound, match="Benchmark truth not found"):
        asyncio.run(lab.delete_truth(truth_id))


def test_a_finished_suites_truth_is_deleted_with_its_jobs_only(clean_node: Fleet) -> None:
    lab, jobs = clean_node.services.benchmarks, clean_node.services.jobs
    made = _set(clean_node, ["kept", "dropped"])
    kept, dropped = (i["truth_id"] for i in made["items"])
    run = asyncio.run(lab.start_suite(MATRIX, set_id=made["set_id"]))
    suite_id = run["suite_id"]
    _finish(clean_node, [j["job_id"] for j in run["jobs"]])
    scored = asyncio.run(lab.results(suite_id))
    assert scored["status"] == "completed" and len(scored["runs"]) == 2
    job_of = {r["item_id"]: r["job_id"] for r in asyncio.run(lab.suite(suite_id))["runs"]}

    assert asyncio.run(lab.delete_test(dropped)) == {
        "status": "deleted", "test_id": dropped, "suite_id": "", "set_id": made["set_id"],
        "deleted_jobs": 1}
    with pytest.raises(NotFound):
        asyncio.run(jobs.job(job_of[dropped]))
    assert asyncio.run(jobs.job(job_of[kept]))["status"] == "completed"
    suite = asyncio.run(lab.suite(suite_id))
    assert [r["item_id"] for r in suite["runs"]] == [kept] and suite["test_count"] == 1
    assert [r["item_id"] for r in asyncio.run(lab.results(suite_id))["runs"]] == [kept]
    with pytest.raises(NotFound):
        asyncio.run(lab.delete_test(dropped))
    asyncio.run(lab.delete_suite(suite_id))


def test_results_count_another_name_of_the_expected_advertiser_as_right(
        clean_node: Fleet) -> None:
    """A truth labelled 'WWF' answered 'World Wildlife Fund' (its catalogue name) is right; an
    answer naming another advertiser is wrong."""
    lab = clean_node.services.benchmarks
    items = [{"name": n, "video": str(clean_node.video), "expected_brand": "WWF"}
             for n in ("alias", "other")]
    made = asyncio.run(lab.create_set("svc", items))
    run = asyncio.run(lab.start_suite(MATRIX, set_id=made["set_id"]))
    answers = {}
    for truth, brand in zip(made["items"], ("World Wildlife Fund", "Greenpeace"), strict=True):
        answers[truth["truth_id"]] = brand
    job_item = {r["job_id"]: r["item_id"] for r in asyncio.run(lab.suite(run["suite_id"]))["runs"]}
    for _ in run["jobs"]:
        claimed = clean_node.worker.claim("bench-worker", 5.0)
        assert claimed is not None
        brand = answers[job_item[claimed["job_id"]]]
        assert clean_node.worker.complete(claimed["job_id"], "bench-worker",
                                          {"brand": brand, "confidence": 0.8},
                                          {"attempts": []}, {"frames": []})
    scored = asyncio.run(lab.results(run["suite_id"]))
    judged = {answers[r["item_id"]]: r["brand_ok"] for r in scored["runs"]}
    assert judged == {"World Wildlife Fund": True, "Greenpeace": False}
    assert scored["configurations"][0]["brand_accuracy"] == 0.5
    asyncio.run(lab.delete_suite(run["suite_id"]))


def test_a_truth_is_edited_with_the_checks_of_a_new_one(fleet: Fleet) -> None:
    lab = fleet.services.benchmarks
    made = asyncio.run(lab.create_truth({"video": str(fleet.video), "expected_brand": "Nike",
                                         "expected_confidence": 0.9,
                                         "expected_reasoning": "the swoosh"}))
    truth_id = made["truth_id"]
    before = asyncio.run(lab.truth(truth_id))
    assert (before["expected_confidence"], before["expected_reasoning"]) == (0.9, "the swoosh")

    got = asyncio.run(lab.update_truth(truth_id, {
        "source_url": str(fleet.video), "expected_brand": " Puma ",
        "expected_category": "Footwear", "expected_confidence": 0.5,
        "expected_reasoning": "end card", "expected_ocr_text": "PUMA"}))
    assert got == {**before, "expected_brand": "Puma", "expected_category": "1070",
                   "expected_categories": ["1070"], "expected_confidence": 0.5,
                   "expected_reasoning": "end card", "expected_ocr_text": "PUMA",
                   "updated_at": got["updated_at"]}
    assert got["updated_at"] > before["updated_at"]
    assert asyncio.run(lab.truth(truth_id)) == got

    assert asyncio.run(lab.update_truth(truth_id, {"expected_categories": [" ", "Clothing"]}))[
        "expected_category"] == "1059"
    assert asyncio.run(lab.update_truth(truth_id, {"expected_categories": [""]}))[
        "expected_category"] == "1059"  # no category given: kept
    assert asyncio.run(lab.update_truth(truth_id, {"expected_category": ""}))[
        "expected_categories"] == []
    other = fleet.video.with_name("copy-for-edit.mp4")
    shutil.copyfile(fleet.video, other)
    moved = asyncio.run(lab.update_truth(truth_id, {"source_url": str(other)}))
    assert (moved["source_kind"], moved["video_url"]) == ("file", str(other))

    snapshot = asyncio.run(lab.truth(truth_id))
    for bad, error in (({"source_url": "/etc/passwd"}, Forbidden),
                       ({"source_url": "file:///etc/passwd"}, BadInput),
                       ({"expected_brand": "  "}, BadInput),
                       ({"expected_category": "No Such Thing"}, BadInput)):
        with pytest.raises(error):
            asyncio.run(lab.update_truth(truth_id, bad))
    assert asyncio.run(lab.truth(truth_id)) == snapshot  # a refused edit changes nothing
    with pytest.raises(NotFound, match="Benchmark truth not found"):
        asyncio.run(lab.update_truth("truth-nope", {"expected_brand": "x"}))
    asyncio.run(lab.delete_truth(truth_id))
