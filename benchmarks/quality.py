"""Quality of the whole pipeline on the labelled dev set, next to the goals.

    python -m benchmarks.devset.generate            # once: renders benchmarks/devset/videos/
    python -m benchmarks.quality [--split dev|holdout|all] [--scan-mode "Tail Only"]
                                 [--ocr-engine rapidocr] [--limit N] [--json out.json]
    python -m benchmarks.quality --reuse             # re-classify cached OCR evidence only

Runs `adclf.pipeline.runner.Pipeline` (frames → OCR → embedded provider → taxonomy mapper, with
the rescue ladder) on every video and prints brand top-1 accuracy, IAB tier-1 accuracy, leaf
accuracy and the mean confidence of right vs wrong answers. The OCR evidence of each run is cached
under benchmarks/out/evidence/ so that `--reuse` can re-score the classifier alone in seconds
(this skips the runner's rescue decisions: it classifies the evidence the full run ended with).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEVSET = ROOT / "devset"
CACHE = ROOT / "out" / "evidence"
GOALS = {"brand": 0.90, "tier1": 0.85}


def brand_key(text: str) -> str:
    from adclf.pipeline.taxonomy.text import fold

    key = fold(text).replace(" ", "")
    for tld in ("com", "fr", "org", "net"):
        if key.endswith(tld) and len(key) > len(tld) + 2 and "." in text:
            key = key[: -len(tld)]
    return key


def brand_ok(predicted: str, label: dict[str, Any]) -> bool:
    p = brand_key(predicted)
    return bool(p) and p in {brand_key(label["brand"]), brand_key(label["domain"])}


class _Quiet:
    def stage(self, stage: Any, detail: str = "", progress: float | None = None) -> None:
        pass

    def event(self, message: str) -> None:
        pass


def run_pipeline(labels: list[dict[str, Any]], videos: Path, args: argparse.Namespace
                 ) -> list[dict[str, Any]]:
    from adclf.config import Settings
    from adclf.jobs import JobSettings, JobSpec
    from adclf.pipeline.runner import Pipeline

    with tempfile.TemporaryDirectory(prefix="adclf-quality-") as tmp:
        settings = Settings(DATA_DIR=Path(tmp))
        pipeline = Pipeline(settings)
        job = JobSettings(provider="embedded", scan_mode=args.scan_mode, ocr_engine=args.ocr_engine)
        rows = []
        for i, label in enumerate(labels):
            video = (videos / label["file"]).resolve()
            spec = JobSpec(job_id=f"q-{i}", node="node-a", source_kind="file", source=str(video),
                           settings=job)
            t0 = time.perf_counter()
            result = pipeline.run(spec, Path(tmp) / f"job{i}", _Quiet())
            wall = time.perf_counter() - t0
            cache = cache_path(label, args)
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps({"duration": result.duration,
                                         "ocr_lines": [asdict(x) for x in result.ocr_lines]}))
            rows.append(score_row(label, result.result_row(), wall,
                                  result.timings.get("classify", 0.0), len(result.attempts)))
            print_row(rows[-1])
    return rows


def cache_path(label: dict[str, Any], args: argparse.Namespace) -> Path:
    mode = f"{args.scan_mode}-{args.ocr_engine}".replace(" ", "_").lower()
    return CACHE / mode / (label["file"].replace("/", "__") + ".json")


def reuse_evidence(labels: list[dict[str, Any]], args: argparse.Namespace
                   ) -> list[dict[str, Any]]:
    from adclf.pipeline.providers.embedded import EmbeddedProvider
    from adclf.pipeline.taxonomy import get_mapper
    from adclf.pipeline.types import Evidence, OcrLine

    provider = EmbeddedProvider()
    mapper = get_mapper()
    rows = []
    for label in labels:
        cache = cache_path(label, args)
        if not cache.exists():
            print(f"{label['file']:<34} skipped: no cached evidence (run without --reuse)")
            continue
        data = json.loads(cache.read_text())
        evidence = Evidence([], [OcrLine(**x) for x in data["ocr_lines"]], data["duration"])
        t0 = time.perf_counter()
        c = provider.classify(evidence)
        classify = time.perf_counter() - t0
        m = mapper.map(c, evidence)
        row = {"brand": c.brand, "industry_id": m.industry_id, "category_id": m.category_id,
               "category_name": m.category_name, "confidence": c.confidence,
               "reasoning": c.reasoning}
        rows.append(score_row(label, row, classify, classify, 1))
        print_row(rows[-1])
    return rows


def score_row(label: dict[str, Any], row: dict[str, Any], wall: float, classify: float,
              attempts: int) -> dict[str, Any]:
    return {
        "file": label["file"], "split": label["split"], "language": label["language"],
        "brand_expected": label["brand"], "brand": row["brand"],
        "industry_expected": label["industry_id"], "industry": row["industry_id"],
        "leaf_expected": label["leaf_id"], "leaf": row["category_id"],
        "category_name": row["category_name"], "confidence": float(row["confidence"]),
        "brand_ok": brand_ok(row["brand"], label),
        "tier1_ok": row["industry_id"] == label["industry_id"],
        "leaf_ok": row["category_id"] == label["leaf_id"],
        "reasoning": row["reasoning"], "seconds": round(wall, 3),
        "classify_seconds": round(classify, 4), "attempts": attempts,
    }


def print_row(r: dict[str, Any]) -> None:
    mark = lambda ok: "ok " if ok else "BAD"  # noqa: E731
    print(f"{r['file']:<34} brand {mark(r['brand_ok'])} {r['brand'][:18]:<18} "
          f"tier1 {mark(r['tier1_ok'])} leaf {mark(r['leaf_ok'])} {r['category_name'][:26]:<26} "
          f"conf {r['confidence']:.2f}  {r['seconds']:.2f}s", flush=True)


def auroc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def summary(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
    n = len(rows)
    if n == 0:
        return {}
    acc = {k: sum(r[f"{k}_ok"] for r in rows) / n for k in ("brand", "tier1", "leaf")}
    right = [r["confidence"] for r in rows if r["brand_ok"] and r["tier1_ok"]]
    wrong = [r["confidence"] for r in rows if not (r["brand_ok"] and r["tier1_ok"])]
    out = {
        "split": name, "n": n, **{f"{k}_accuracy": round(v, 4) for k, v in acc.items()},
        "confidence_right": round(statistics.mean(right), 4) if right else None,
        "confidence_wrong": round(statistics.mean(wrong), 4) if wrong else None,
        "confidence_auroc": auroc(right, wrong),
        "classify_seconds_p50": statistics.median(r["classify_seconds"] for r in rows),
        "classify_seconds_max": max(r["classify_seconds"] for r in rows),
        "seconds_per_ad_mean": round(statistics.mean(r["seconds"] for r in rows), 3),
    }
    print(f"\n== {name}: {n} ads")
    print(f"brand top-1      {acc['brand']:6.1%}   goal >= {GOALS['brand']:.0%}  "
          f"{'PASS' if acc['brand'] >= GOALS['brand'] else 'MISS'}")
    print(f"IAB tier-1       {acc['tier1']:6.1%}   goal >= {GOALS['tier1']:.0%}  "
          f"{'PASS' if acc['tier1'] >= GOALS['tier1'] else 'MISS'}")
    print(f"leaf             {acc['leaf']:6.1%}   (no goal)")
    au = out["confidence_auroc"]
    print(f"confidence       right {out['confidence_right']}  wrong {out['confidence_wrong']}  "
          f"AUROC {au if au is None else round(au, 3)}  (right = brand and tier-1 both right)")
    print(f"classifier       p50 {out['classify_seconds_p50']:.3f}s  max "
          f"{out['classify_seconds_max']:.3f}s per ad   goal <= 0.3s")
    print(f"per ad (all)     {out['seconds_per_ad_mean']:.2f}s mean")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--labels", type=Path, default=DEVSET / "labels.json")
    ap.add_argument("--videos", type=Path, default=DEVSET / "videos")
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default="all")
    ap.add_argument("--scan-mode", default="Tail Only")
    ap.add_argument("--ocr-engine", default="rapidocr")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--reuse", action="store_true", help="re-classify cached OCR evidence only")
    ap.add_argument("--json", type=Path, default=None, help="write rows and summaries here")
    ap.add_argument("--shard", default="", help="K/N: run every N-th ad from the K-th (0-based), "
                    "to run N processes side by side")
    ap.add_argument("--summarize", type=Path, nargs="*", default=None,
                    help="only print the summaries of earlier --json files (e.g. shards) merged")
    args = ap.parse_args(argv)
    if args.summarize:
        merged = [r for f in args.summarize for r in json.loads(f.read_text())["rows"]]
        for name in ("dev", "holdout"):
            summary([r for r in merged if r["split"] == name], name)
        return 0
    labels = json.loads(args.labels.read_text())
    if args.split != "all":
        labels = [x for x in labels if x["split"] == args.split]
    if args.shard:
        k, n = (int(x) for x in args.shard.split("/"))
        labels = labels[k::n]
    if args.limit:
        labels = labels[: args.limit]
    if not args.reuse:
        missing = [x["file"] for x in labels if not (args.videos / x["file"]).exists()]
        if missing:
            sys.exit(f"{len(missing)} videos missing (first: {missing[0]}); "
                     "run: python -m benchmarks.devset.generate")
    rows = reuse_evidence(labels, args) if args.reuse else run_pipeline(labels, args.videos, args)
    summaries = [summary([r for r in rows if r["split"] == s], s) for s in ("dev", "holdout")]
    summaries = [s for s in summaries if s]
    if len(summaries) > 1:
        summaries.append(summary(rows, "all"))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows, "summaries": summaries}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
