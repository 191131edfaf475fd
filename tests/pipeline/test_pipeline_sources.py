"""Resolving a job's source: local files (re-checked at run time) and URLs through the safe fetcher
against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adclf.config import Settings
from adclf.domain import JobSpec
from adclf.errors import FetchError, PipelineError
from adclf.pipeline.sources import resolve_source


def _spec(kind: str, source: str) -> JobSpec:
    return JobSpec(job_id="node-a-1", node="node-a", source_kind=kind, source=source)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(DATA_DIR=tmp_path / "data", URL_ALLOW_PRIVATE=True, URL_FETCH_TIMEOUT=10)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_local_file_is_returned_as_is(end_card_ad: Path, settings: Settings,
                                      tmp_path: Path) -> None:
    for kind in ("file", "upload"):
        assert resolve_source(_spec(kind, str(end_card_ad)), tmp_path, settings) == end_card_ad


@pytest.mark.parametrize(("make", "reason"), [
    (lambda d: d / "missing.mp4", "not found"),
    (lambda d: d, "not a regular file"),
    (lambda d: (d / "empty.mp4", (d / "empty.mp4").write_bytes(b""))[0], "empty"),
])
def test_bad_local_sources(tmp_path: Path, settings: Settings, make: object,
                           reason: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(PipelineError, match=reason) as err:
        resolve_source(_spec("file", str(path)), tmp_path / "work", settings)
    assert str(tmp_path) not in str(err.value)  # server directories stay private


def test_relative_path_is_refused(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="absolute"):
        resolve_source(_spec("file", "videos/ad.mp4"), tmp_path, settings)


def test_url_is_downloaded_into_the_work_dir(end_card_ad: Path, settings: Settings,
                                             http_root: tuple[str, Path],
                                             tmp_path: Path) -> None:
    base, root = http_root
    (root / "ad.mp4").write_bytes(end_card_ad.read_bytes())
    work = tmp_path / "job"
    path = resolve_source(_spec("url", f"{base}/ad.mp4"), work, settings)
    assert path.is_file() and path.is_relative_to(work)
    assert path.read_bytes() == end_card_ad.read_bytes()


def test_url_errors_are_fetch_errors(settings: Settings, http_root: tuple[str, Path],
                                     tmp_path: Path) -> None:
    base, root = http_root
    (root / "page.html").write_text("<!DOCTYPE html><html><body>hello</body></html>")
    with pytest.raises(FetchError):
        resolve_source(_spec("url", f"{base}/page.html"), tmp_path, settings)
    with pytest.raises(FetchError):
        resolve_source(_spec("url", f"{base}/missing.mp4"), tmp_path, settings)
    strict = settings.model_copy(update={"URL_ALLOW_PRIVATE": False})
    with pytest.raises(FetchError):
        resolve_source(_spec("url", f"{base}/page.html"), tmp_path, strict)
