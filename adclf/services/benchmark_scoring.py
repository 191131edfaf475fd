"""Scoring a benchmark suite: pure functions over the expected truth and each job's outcome.

A run is one job of one configuration on one truth item. Per configuration:
- brand accuracy: the answer's brand equals the expected one, ignoring case and spaces, or
  both name the same advertiser (`same_brand`, the brand catalogue: 'WWF' and 'World Wildlife
  Fund');
- category accuracy: the exact taxonomy id; tier-1 and tier-2: the same ancestor at depth 1
  (the industry) and depth 2, by the taxonomy's parents (`lineage` gives the ids from the
  tier-1 industry down to a node, as the service resolves them);
- OCR similarity: difflib's ratio between the normalised expected and read on-screen text
  (only runs whose item has an expected OCR text count);
- latency p50/p95 of the job durations (started -> finished), completed runs only;
- mean confidence of right and of wrong answers (right: brand and exact category both right).
Accuracies are over the finished runs (a failed job counts as wrong); None when nothing counts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

CONFIG_KEYS = ("provider", "scan_mode", "ocr_engine", "ocr_mode")
# (expected, answered) -> the same advertiser under another of its names
SameBrand = Callable[[str, str], bool]


@dataclass(frozen=True)
class Expected:
    brand: str
    category_lineage: Sequence[str] = ()  # tier-1 .. the expected node; empty: not scored
    ocr_text: str = ""


@dataclass(frozen=True)
class Outcome:
    status: str  # the job's status: completed, failed, or still active
    brand: str = ""
    category_lineage: Sequence[str] = ()
    ocr_text: str = ""
    confidence: float | None = None
    latency: float | None = None


@dataclass(frozen=True)
class Run:
    config_key: str
    config: dict[str, Any]
    item_id: str
    job_id: str
    expected: Expected
    outcome: Outcome


@dataclass
class RunScore:
    config_key: str
    item_id: str
    job_id: str
    status: str
    brand: str
    category_id: str
    brand_ok: bool | None
    category_ok: bool | None
    tier1_ok: bool | None
    tier2_ok: bool | None
    ocr_similarity: float | None
    latency: float | None
    confidence: float | None


def config_key(config: dict[str, Any]) -> str:
    """A readable, stable name of one configuration: 'embedded | Tail Only | rapidocr | Fast'."""
    return " | ".join(str(config.get(k, "")) for k in CONFIG_KEYS)


def normalise_brand(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def ocr_similarity(expected: str, read: str) -> float:
    """0..1: difflib's ratio of the two texts, compared as lower-case words."""
    a, b = _words(expected), _words(read)
    if not a and not b:
        return 1.0
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 4)


def _same_at(expected: Sequence[str], got: Sequence[str], depth: int) -> bool:
    return len(expected) >= depth and len(got) >= depth and \
        expected[depth - 1] == got[depth - 1]


def same_brand_text(expected: str, answered: str, same: SameBrand | None = None) -> bool:
    if normalise_brand(expected) == normalise_brand(answered):
        return True
    return bool(same and expected.strip() and answered.strip() and same(expected, answered))


def score_run(run: Run, same_brand: SameBrand | None = None) -> RunScore:
    exp, out = run.expected, run.outcome
    done = out.status == "completed"
    final = done or out.status == "failed"
    cat = exp.category_lineage

    def judged(ok: bool) -> bool | None:
        return (done and ok) if final else None

    return RunScore(
        config_key=run.config_key, item_id=run.item_id, job_id=run.job_id, status=out.status,
        brand=out.brand, category_id=out.category_lineage[-1] if out.category_lineage else "",
        brand_ok=judged(same_brand_text(exp.brand, out.brand, same_brand)),
        category_ok=judged(bool(cat) and list(cat) == list(out.category_lineage))
        if cat else None,
        tier1_ok=judged(_same_at(cat, out.category_lineage, 1)) if cat else None,
        tier2_ok=judged(_same_at(cat, out.category_lineage, 2) if len(cat) >= 2
                        else _same_at(cat, out.category_lineage, 1)) if cat else None,
        ocr_similarity=ocr_similarity(exp.ocr_text, out.ocr_text)
        if done and exp.ocr_text else None,
        latency=out.latency if done else None,
        confidence=out.confidence if done else None,
    )


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear interpolation between the closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 4)


def _rate(flags: list[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return round(sum(known) / len(known), 4) if known else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(config: dict[str, Any], scores: list[RunScore]) -> dict[str, Any]:
    """One configuration's metrics over its runs' scores."""
    right = [s.confidence for s in scores if s.confidence is not None and s.brand_ok and
             s.category_ok is not False]
    wrong = [s.confidence for s in scores if s.confidence is not None and
             (s.brand_ok is False or s.category_ok is False)]
    latencies = [s.latency for s in scores if s.latency is not None]
    ocr = [s.ocr_similarity for s in scores if s.ocr_similarity is not None]
    return {
        "config_key": config_key(config), **{k: config.get(k) for k in CONFIG_KEYS},
        "runs": len(scores),
        "completed": sum(s.status == "completed" for s in scores),
        "failed": sum(s.status == "failed" for s in scores),
        "pending": sum(s.status not in ("completed", "failed") for s in scores),
        "brand_accuracy": _rate([s.brand_ok for s in scores]),
        "category_accuracy": _rate([s.category_ok for s in scores]),
        "tier1_accuracy": _rate([s.tier1_ok for s in scores]),
        "tier2_accuracy": _rate([s.tier2_ok for s in scores]),
        "ocr_similarity": _mean(ocr),
        "latency_p50": percentile(latencies, 50),
        "latency_p95": percentile(latencies, 95),
        "confidence_right": _mean(right),
        "confidence_wrong": _mean(wrong),
    }


def score_suite(runs: list[Run], same_brand: SameBrand | None = None
                ) -> tuple[list[dict[str, Any]], list[RunScore]]:
    """Per-configuration summaries (in the order configurations first appear) and run scores."""
    scores = [score_run(r, same_brand) for r in runs]
    configs: dict[str, dict[str, Any]] = {}
    for r in runs:
        configs.setdefault(r.config_key, r.config)
    summaries = [summarise(cfg, [s for s in scores if s.config_key == key])
                 for key, cfg in configs.items()]
    return summaries, scores
