"""Server paths that try to leave ALLOWED_FOLDER_ROOTS, and job-file names that try to leave the
job: nothing is queued, nothing outside is served."""

from __future__ import annotations

import http.client
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest

if TYPE_CHECKING:
    from tests.support import LiveServer

Case = tuple[str, str, Callable[[Path, Path], str], tuple[int, ...]]


def _job_total(c: httpx.Client) -> int:
    return int(c.get("/admin/jobs", params={"limit": 1}).headers["x-total-count"])


@pytest.fixture(scope="module")
def layout(live_server: LiveServer) -> dict[str, Path]:
    """Real files around the root: a video-named file next to it, a sibling directory whose name
    starts with the root's name, symlinks pointing out, a loop, a plain directory."""
    root = live_server.roots
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.mp4").write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * 64)
    sibling = Path(str(root) + "2")  # /…/roots2: shares the prefix "/…/roots"
    sibling.mkdir(exist_ok=True)
    (sibling / "x.mp4").write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * 64)
    box = root / "escapes"
    box.mkdir(exist_ok=True)
    links = {"link-out.mp4": outside / "secret.mp4", "dir-out": outside,
             "loop-a.mp4": box / "loop-b.mp4", "loop-b.mp4": box / "loop-a.mp4"}
    for name, dest in links.items():
        if not (box / name).is_symlink():
            (box / name).symlink_to(dest)
    only_links = box / "only-links"
    only_links.mkdir(exist_ok=True)
    if not (only_links / "out.mp4").is_symlink():
        (only_links / "out.mp4").symlink_to(outside / "secret.mp4")
    (box / "a-directory.mp4").mkdir(exist_ok=True)
    (box / "notes.txt").write_text("not a video")
    return {"root": root, "outside": outside, "sibling": sibling, "box": box}


FILEPATH_CASES: list[Case] = [
    ("dot-dot out of the root", "file", lambda r, b: f"{r}/../outside/secret.mp4", (403,)),
    ("dot-dot deep", "file", lambda r, b: f"{b}/../../outside/secret.mp4", (403,)),
    ("dot-dot back into a sibling", "file", lambda r, b: f"{r}/./../{r.name}2/x.mp4", (403,)),
    ("sibling with the root as prefix", "file", lambda r, b: f"{r}2/x.mp4", (403,)),
    ("symlink out of the root", "file", lambda r, b: f"{b}/link-out.mp4", (403,)),
    ("through a symlinked dir", "file", lambda r, b: f"{b}/dir-out/secret.mp4", (403,)),
    ("/etc/passwd", "file", lambda r, b: "/etc/passwd", (403,)),
    ("/proc/self/environ", "file", lambda r, b: "/proc/self/environ", (403,)),
    ("relative", "file", lambda r, b: "escapes/notes.txt", (400,)),
    ("relative dot-dot", "file", lambda r, b: "../outside/secret.mp4", (400,)),
    ("home tilde", "file", lambda r, b: "~/secret.mp4", (400,)),
    ("other user's home", "file", lambda r, b: "~root/.bashrc", (400,)),
    ("NUL byte", "file", lambda r, b: f"{b}/notes.txt\x00.mp4", (400,)),
    ("very long (schema limit)", "file", lambda r, b: f"{r}/" + "a/" * 2500 + "x.mp4", (422,)),
    ("very long name inside", "file", lambda r, b: f"{r}/{'n' * 4000}.mp4", (400, 404)),
    ("a directory given as a file", "file", lambda r, b: f"{b}/a-directory.mp4", (400,)),
    ("not a video", "file", lambda r, b: f"{b}/notes.txt", (400,)),
    ("symlink loop", "file", lambda r, b: f"{b}/loop-a.mp4", (400,)),
    ("missing inside the root", "file", lambda r, b: f"{r}/nope.mp4", (404,)),
    ("percent-encoded dot-dot is a name", "file", lambda r, b: f"{r}/%2e%2e/outside.mp4", (404,)),
    ("backslashes are names", "file", lambda r, b: f"{r}\\..\\outside\\secret.mp4", (403, 404)),
    ("empty", "file", lambda r, b: "", (422,)),
    ("folder: dot-dot", "dir", lambda r, b: f"{r}/../outside", (403,)),
    ("folder: symlink out", "dir", lambda r, b: f"{b}/dir-out", (403,)),
    ("folder: sibling prefix", "dir", lambda r, b: f"{r}2", (403,)),
    ("folder: /", "dir", lambda r, b: "/", (403,)),
    ("folder: relative", "dir", lambda r, b: "escapes", (400,)),
    ("folder: NUL byte", "dir", lambda r, b: f"{b}\x00/../..", (400,)),
    ("folder: a file given as a folder", "dir", lambda r, b: f"{b}/notes.txt", (400,)),
    ("folder: only symlinks pointing out", "dir", lambda r, b: f"{b}/only-links", (400,)),
    ("folder: tilde", "dir", lambda r, b: "~", (400,)),
]


@pytest.mark.parametrize("label, kind, make, expected", FILEPATH_CASES,
                         ids=[c[0] for c in FILEPATH_CASES])
def test_path_escape_is_refused_and_nothing_is_queued(
        live_server: LiveServer, layout: dict[str, Path], label: str, kind: str,
        make: Callable[[Path, Path], str], expected: tuple[int, ...]) -> None:
    raw = make(layout["root"], layout["box"])
    route, field = (("/jobs/by-filepath", "file_path") if kind == "file"
                    else ("/jobs/by-folder", "folder_path"))
    body: dict[str, Any] = {field: raw}
    if kind == "dir":
        body["recursive"] = True
    with live_server.client() as c:
        before = _job_total(c)
        r = c.post(route, json=body)
        after = _job_total(c)
    assert r.status_code in expected, (label, r.status_code, r.text[:300])
    assert after == before, f"{label}: a job was queued"
    # The answer must not reveal what is outside: no file contents, no resolved outside path.
    assert str(layout["outside"]) not in r.text or "../outside" in raw
    if r.status_code == 403:
        assert "outside the allowed folders" in r.json()["detail"]


def test_case_count() -> None:
    assert len(FILEPATH_CASES) >= 30


# ---- job files ---------------------------------------------------------------------------------
def _raw_get(base: str, path: str) -> tuple[int, bytes]:
    """A GET whose path is sent byte for byte (httpx would remove `..` segments)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def two_jobs(live_server: LiveServer, sample_ad: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    with live_server.client() as c:
        a = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}).json()["job_id"]
        b = c.post("/jobs/by-filepath", json={"file_path": str(sample_ad)}).json()["job_id"]
    return live_server.wait_job(a), live_server.wait_job(b)


def test_job_files_serve_only_the_jobs_own_files(
        live_server: LiveServer, sample_ad: Path,
        two_jobs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    job_a, job_b = two_jobs
    a, b = job_a["job_id"], job_b["job_id"]
    assert job_a["status"] == "completed", job_a
    with live_server.client() as c:
        frames = c.get(f"/jobs/{a}/artifacts").json()["frames"]
        assert frames, "the job has no frame artifacts to compare with"
        name = frames[0]["name"]
        own = c.get(f"/jobs/{a}/artifacts/{name}")
    art_a = live_server.data_dir / "artifacts" / a
    assert own.status_code == 200 and own.content == (art_a / name).read_bytes()
    # A symlink planted in the job's own folder must not be followed out of it.
    planted = art_a / "planted.jpg"
    planted.symlink_to("/etc/passwd")
    hostile = [
        f"/jobs/{a}/artifacts/../../{b}/artifacts/{name}",
        f"/jobs/{a}/artifacts/..%2f{b}%2f{name}",
        f"/jobs/{a}/artifacts/%2e%2e%2f{b}%2f{name}",
        f"/jobs/{a}/artifacts/..%2f..%2f{live_server.data_dir.name}%2fnode-a.duckdb",
        f"/jobs/{a}/artifacts/%2fetc%2fpasswd",
        f"/jobs/{a}/artifacts//etc/passwd",
        f"/jobs/{a}/artifacts/..%5c..%5cnode-a.duckdb",
        f"/jobs/{a}/artifacts/{name}%00.txt",
        f"/jobs/{a}/artifacts/planted.jpg",
        f"/jobs/{a}/artifacts/..",
        f"/jobs/{a}/artifacts/.",
        f"/jobs/{a}/video/../../{b}/video",
        f"/jobs/{a}%2f..%2f{b}/video",
        "/jobs/..%2f..%2fetc%2fpasswd/video",
        f"/jobs/{a}/artifacts/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    ]
    passwd = Path("/etc/passwd").read_bytes()
    db = (live_server.data_dir / "node-a.duckdb").read_bytes()[:64]
    frame_b = (live_server.data_dir / "artifacts" / b / name).read_bytes()
    served = []
    for path in hostile:
        status, body = _raw_get(live_server.url, path)
        leaked = passwd[:32] in body or (db and db in body) or (status == 200 and body == frame_b)
        if status == 200 and path.endswith("/video") and body == sample_ad.read_bytes():
            leaked = False  # the job's own video, reached by a normalised path
        if leaked or status >= 500:
            served.append((path, status))
    planted.unlink()
    assert not served, served
    assert len(hostile) >= 15


def test_the_video_route_serves_the_jobs_own_video(
        live_server: LiveServer, sample_ad: Path,
        two_jobs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    job_a, _ = two_jobs
    with live_server.client() as c:
        r = c.get(f"/jobs/{job_a['job_id']}/video", headers={"Range": "bytes=0-99"})
    assert r.status_code == 206 and r.content == sample_ad.read_bytes()[:100]


def test_unknown_job_ids_never_reach_the_disk(live_server: LiveServer) -> None:
    with live_server.client() as c:
        for job_id in ("..", "node-a-..%2f..", "%2e%2e", "node-a", "node-a-" + "0" * 36,
                       "../node-a-00000000-0000-4000-8000-000000000000"):
            assert c.get(f"/jobs/{job_id}/video").status_code == 404, job_id
    assert os.path.exists(live_server.data_dir)
