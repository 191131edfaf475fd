"""The committed catalogue is what build_default makes from the committed sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.brands import build_default


def test_curated_sources_parse_and_use_known_categories() -> None:
    ids = build_default.taxonomy_ids()
    files = sorted((Path(build_default.HERE) / "curated").glob("*.txt"))
    brands = build_default.parse_curated(files, ids)
    assert len(brands) >= 1000
    assert all(b["category_id"] in ids for b in brands)


def test_unknown_category_in_a_source_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_text("[9999]\nAcme | acme.com\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="x.txt:1: unknown category id 9999"):
        build_default.parse_curated([src], build_default.taxonomy_ids())


@pytest.mark.skipif(not build_default.SIMPLE_ICONS.exists(),
                    reason="simple-icons npm package not installed (third_party/simple-icons)")
def test_rebuild_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "brands.jsonl"
    # no --dict: keep the committed word list
    assert build_default.main(["--out", str(out), "--dict", str(tmp_path / "none")]) == 0
    committed = Path(build_default.HERE) / "data" / "brands.jsonl"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
