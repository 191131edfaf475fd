"""Benchmark scoring as pure functions: brand and category (exact, tier-1, tier-2) accuracy,
OCR similarity, latency percentiles and the confidence of right vs wrong answers."""

from __future__ import annotations

import pytest

from adclf.services.benchmark_scoring import (
    Expected,
    Outcome,
    Run,
    config_key,
    ocr_similarity,
    percentile,
    same_brand_text,
    score_run,
    score_suite,
)

TAIL = {"provider": "embedded", "scan_mode": "Tail Only", "ocr_engine": "rapidocr",
        "ocr_mode": "Fast"}
FULL = {**TAIL, "scan_mode": "Full Video"}
SHOES = ("IAB-1", "IAB-1-2", "IAB-1-2-3")


def _run(config: dict[str, str], n: int, outcome: Outcome, cat: tuple[str, ...] = SHOES,
         ocr: str = "") -> Run:
    return Run(config_key(config), config, f"item-{n}", f"job-{config['scan_mode']}-{n}",
               Expected("Nike", cat, ocr), outcome)


def test_brand_is_compared_without_case_or_spaces_and_categories_by_their_parents() -> None:
    s = score_run(_run(TAIL, 1, Outcome("completed", "  n I k e ", SHOES, confidence=0.9,
                                        latency=2.0)))
    assert (s.brand_ok, s.category_ok, s.tier1_ok, s.tier2_ok) == (True, True, True, True)
    sibling = score_run(_run(TAIL, 2, Outcome("completed", "Adidas",
                                              ("IAB-1", "IAB-1-2", "IAB-1-2-9"))))
    assert (sibling.brand_ok, sibling.category_ok, sibling.tier1_ok, sibling.tier2_ok) == \
        (False, False, True, True)
    other = score_run(_run(TAIL, 3, Outcome("completed", "Nike", ("IAB-1", "IAB-1-5"))))
    assert (other.category_ok, other.tier1_ok, other.tier2_ok) == (False, True, False)
    far = score_run(_run(TAIL, 4, Outcome("completed", "Nike", ("IAB-7",))))
    assert (far.category_ok, far.tier1_ok, far.tier2_ok) == (False, False, False)


def test_a_failed_job_is_wrong_and_an_active_one_is_not_judged_yet() -> None:
    failed = score_run(_run(TAIL, 1, Outcome("failed")))
    assert (failed.brand_ok, failed.category_ok, failed.latency) == (False, False, None)
    active = score_run(_run(TAIL, 2, Outcome("processing")))
    assert (active.brand_ok, active.category_ok, active.tier1_ok) == (None, None, None)


def test_ocr_similarity_reads_words_case_insensitively() -> None:
    assert ocr_similarity("NIKE nike.com", "nike  NIKE.COM") == 1.0
    assert ocr_similarity("", "") == 1.0
    assert 0.0 < ocr_similarity("Just do it nike.com", "Just do nike") < 1.0
    assert ocr_similarity("abc", "xyz") == 0.0


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([4.0], 95) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([float(i) for i in range(1, 21)], 95) == pytest.approx(19.05)


def test_a_suite_is_summarised_per_configuration() -> None:
    runs = [
        _run(TAIL, 1, Outcome("completed", "Nike", SHOES, "nike.com", 0.9, 2.0), ocr="nike.com"),
        _run(TAIL, 2, Outcome("completed", "Puma", SHOES, "puma", 0.4, 4.0), ocr="nike.com"),
        _run(FULL, 1, Outcome("completed", "Nike", SHOES, "nike.com", 0.8, 6.0), ocr="nike.com"),
        _run(FULL, 2, Outcome("failed")),
        _run(FULL, 3, Outcome("queued")),
    ]
    configs, scores = score_suite(runs)
    assert [c["scan_mode"] for c in configs] == ["Tail Only", "Full Video"]
    tail, full = configs
    assert tail["config_key"] == "embedded | Tail Only | rapidocr | Fast"
    assert (tail["runs"], tail["completed"], tail["failed"], tail["pending"]) == (2, 2, 0, 0)
    assert tail["brand_accuracy"] == 0.5 and tail["category_accuracy"] == 1.0
    assert tail["latency_p50"] == 3.0 and tail["latency_p95"] == pytest.approx(3.9)
    assert (tail["confidence_right"], tail["confidence_wrong"]) == (0.9, 0.4)
    assert tail["ocr_similarity"] == pytest.approx(
        (1.0 + ocr_similarity("nike.com", "puma")) / 2, abs=1e-4)
    assert (full["runs"], full["completed"], full["failed"], full["pending"]) == (3, 1, 1, 1)
    assert full["brand_accuracy"] == 0.5  # the failed run counts, the queued one does not yet
    assert full["latency_p50"] == full["latency_p95"] == 6.0
    assert full["confidence_wrong"] is None
    assert len(scores) == 5


def test_without_an_expected_category_only_the_brand_is_scored() -> None:
    configs, _ = score_suite([_run(TAIL, 1, Outcome("completed", "Nike", SHOES), cat=())])
    assert configs[0]["brand_accuracy"] == 1.0
    assert configs[0]["category_accuracy"] is None and configs[0]["tier1_accuracy"] is None


def test_another_name_of_the_same_advertiser_is_right_when_a_judge_says_so() -> None:
    wwf = Run(config_key(TAIL), TAIL, "item-1", "job-1", Expected("WWF", SHOES),
              Outcome("completed", "World Wildlife Fund", SHOES, confidence=0.8))
    assert score_run(wwf).brand_ok is False  # no judge: only case and spaces are forgiven
    same = {("WWF", "World Wildlife Fund")}
    assert score_run(wwf, lambda a, b: (a, b) in same).brand_ok is True
    summaries, _ = score_suite([wwf], lambda a, b: (a, b) in same)
    assert summaries[0]["brand_accuracy"] == 1.0
    # an empty answer is never the same advertiser, whatever the judge says
    assert not same_brand_text("WWF", " ", lambda a, b: True)
