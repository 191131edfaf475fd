"""`adclf batch` against the real Serve app: a manifest of server paths, the progress bar, the
results saved to --out, and a second run that resumes (nothing classified again)."""

# ruff: noqa: F811 (fixtures imported from cli_support are parameters of the same name)
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
from batch.batch_support import make_ads, make_bad_inputs
from cli_support import Run, cli  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from tests.conftest import LiveServer


def test_batch_from_a_manifest_saves_results_and_resumes(live_server: LiveServer, cli: Run,
                                                         tmp_path: Path) -> None:
    folder = live_server.roots / "cli-batch"
    ads = make_ads(folder / "ads", 2)
    bad = make_bad_inputs(folder / "bad")
    manifest = folder / "manifest.csv"
    manifest.write_text("path\n" + "".join(f"{p.relative_to(folder)}\n" for p in ads)
                        + f"{bad['empty']}\n")
    out = tmp_path / "results.parquet"
    args = ("batch", str(manifest), "--out", str(out), "--concurrency", "1", "--json",
            "--timeout", "300")
    first = cli(*args, server=live_server.url)
    assert first.exit_code == 1, first.output  # one input failed: the exit code says so
    assert "ads/min" in first.stderr and "1 failed" in first.stderr
    rows = {Path(r["input"]).name: r for r in pq.read_table(out).to_pylist()}
    assert set(rows) == {"ad000-nike.mp4", "ad001-pepsi.mp4", "empty.mp4"}
    assert rows["ad001-pepsi.mp4"]["brand"] == "Pepsi"
    assert "empty" in rows["empty.mp4"]["error"]

    csv_out = tmp_path / "results.csv"
    second = cli(*args[:2], "--out", str(csv_out), *args[4:], server=live_server.url)
    final = json.loads(second.stdout)
    assert final["runs"] == 2 and final["progress"]["skipped"] == 2, final
    assert csv_out.read_text().count("\n") == 4  # header + 3 rows


def test_batch_needs_a_source(cli: Run) -> None:
    result = cli("batch", server="http://127.0.0.1:9")
    assert result.exit_code != 0 and "SOURCE" in result.output
