#!/usr/bin/env python3
"""Capture the parity goldens: adclf's embedded default run directly (no Ray, no API) on each
fixture of tests/api/parity/fixtures.json, written to tests/api/parity/golden/<id>.json.

The fixtures are in the original service's format and carry its settings verbatim; the provider
is replaced by adclf's embedded default (no model server is needed), everything else is read
as the API reads it (EasyOCR → rapidocr, "Full Scan" → Full Video, categories as labels).
tests/api/test_api_compat_parity.py replays the original's parity client against the live
service and compares with these files.

    .venv/bin/python scripts/capture_goldens.py                 # missing goldens only
    .venv/bin/python scripts/capture_goldens.py --fixture local_mp4
    .venv/bin/python scripts/capture_goldens.py --force         # refresh after a change
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PARITY = ROOT / "tests" / "api" / "parity"
FIXTURES = PARITY / "fixtures.json"
GOLDEN_DIR = PARITY / "golden"
EMBEDDED = {"provider": "embedded", "model_name": None}


def load_fixtures() -> list[dict[str, Any]]:
    fixtures: list[dict[str, Any]] = json.loads(FIXTURES.read_text())["fixtures"]
    return fixtures


def make_videos(fixtures: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    """Each fixture's video (made once per file name with ffmpeg), by fixture id."""
    sys.path.insert(0, str(ROOT / "tests"))
    from videos import Scene, make_video

    recipes = {f["local_path"]: f["video"] for f in fixtures if f.get("video")}
    made: dict[str, Path] = {}
    for name, recipe in recipes.items():
        scenes = [Scene(**scene) for scene in recipe["scenes"]]
        made[name] = make_video(folder / name, scenes, size=(1280, 720))
    return {f["id"]: made[f["local_path"]] for f in fixtures}


class _Events:
    def __init__(self) -> None:
        self.events: list[str] = []

    def stage(self, stage: Any, detail: str = "", progress: float | None = None) -> None:
        self.events.append(f"{stage}: {detail}")

    def event(self, message: str) -> None:
        self.events.append(message)


def capture(fixture: dict[str, Any], video: Path, work: Path) -> dict[str, Any]:
    from adclf.config import Settings
    from adclf.domain import JobSettings, JobSpec
    from adclf.pipeline.runner import Pipeline

    settings = JobSettings.model_validate({**fixture["settings"], **EMBEDDED})
    spec = JobSpec(job_id=f"node-a-{fixture['id']}", node="node-a", source_kind="file",
                   source=str(video), settings=settings)
    started = time.time()
    result = Pipeline(Settings()).run(spec, work, _Events())
    row = result.result_row()
    lines = [{"time_seconds": round(line.timestamp, 3), "text": line.text}
             for line in result.ocr_lines] if result.ocr_lines else []
    return {
        "_fixture_id": fixture["id"],
        "_captured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "_elapsed_seconds": round(time.time() - started, 1),
        "_settings": fixture["settings"], "_provider_used": "embedded",
        "frame_count": len(result.frames),
        "ocr_has_text": any(line.text.strip() for line in result.ocr_lines),
        "ocr_lines": lines,
        "result": {"brand": row["brand"], "category": row["category"],
                   "category_id": row["category_id"], "category_name": row["category_name"],
                   "confidence": row["confidence"], "reasoning": row["reasoning"]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", help="one fixture id (default: all)")
    parser.add_argument("--force", action="store_true", help="overwrite existing goldens")
    args = parser.parse_args(argv)
    fixtures = load_fixtures()
    if args.fixture:
        fixtures = [f for f in fixtures if f["id"] == args.fixture]
        if not fixtures:
            print(f"no fixture {args.fixture!r} in {FIXTURES}", file=sys.stderr)
            return 2
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="adclf-goldens-") as tmp:
        videos = make_videos(load_fixtures(), Path(tmp))
        for fixture in fixtures:
            path = GOLDEN_DIR / f"{fixture['id']}.json"
            if path.exists() and not args.force:
                print(f"  [skip] {fixture['id']}: golden exists (use --force)")
                continue
            golden = capture(fixture, videos[fixture["id"]], Path(tmp) / fixture["id"])
            path.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n")
            r = golden["result"]
            print(f"  [saved] {path.relative_to(ROOT)}: {golden['frame_count']} frames, "
                  f"brand={r['brand']!r}, category={r['category']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
