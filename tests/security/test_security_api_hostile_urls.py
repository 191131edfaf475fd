"""Hostile URLs through `POST /jobs/by-urls` of real services: each one is refused at submit
(4xx) or ends as a FAILED job with a reason, and no request reaches the local target servers."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING

import pytest

from adclf.net.urls import _LOCAL_NAMES

if TYPE_CHECKING:
    from tests.security.conftest import CountingServer, ExtraApp, ExtraApps

# `T` is the target's port, `R` the redirector's; both servers listen on 127.0.0.1.
REFUSED_AT_SUBMIT = [
    # schemes other than http/https
    "file:///etc/passwd",
    "ftp://127.0.0.1:T/video.mp4",
    "gopher://127.0.0.1:T/_GET%20/",
    "dict://127.0.0.1:T/info",
    "javascript:alert(1)",
    "data:video/mp4;base64,AAAAIGZ0eXBpc29t",
    "//127.0.0.1:T/video.mp4",
    # loopback, spelt every way libc and browsers accept
    "http://127.0.0.1:T/video.mp4",
    "http://127.0.0.2:T/video.mp4",
    "http://localhost:T/video.mp4",
    "http://LOCALHOST.:T/video.mp4",
    "http://videos.localhost:T/video.mp4",
    "http://2130706433:T/video.mp4",
    "http://0x7f.1:T/video.mp4",
    "http://0x7f000001:T/video.mp4",
    "http://127.1:T/video.mp4",
    "http://0177.0.0.1:T/video.mp4",
    "http://017700000001:T/video.mp4",
    "http://[::1]:T/video.mp4",
    "http://[::ffff:127.0.0.1]:T/video.mp4",
    "http://[::ffff:7f00:1]:T/video.mp4",
    "http://[::127.0.0.1]:T/video.mp4",
    "http://[64:ff9b::7f00:1]:T/video.mp4",
    "http://[2002:7f00:1::]:T/video.mp4",
    "http://user:pw@127.0.0.1:T/video.mp4",
    "https://127.0.0.1:T/video.mp4",
    # unspecified, private, link-local / cloud metadata, CGNAT, multicast, broadcast, reserved
    "http://0.0.0.0:T/video.mp4",
    "http://0:T/video.mp4",
    "http://[::]:T/video.mp4",
    "http://10.0.0.1/video.mp4",
    "http://172.16.0.1/video.mp4",
    "http://192.168.1.1/video.mp4",
    "http://[fd00::1]/video.mp4",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fe80::1]/video.mp4",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://100.64.0.1/video.mp4",
    "http://224.0.0.1/video.mp4",
    "http://255.255.255.255/video.mp4",
    "http://240.0.0.1/video.mp4",
    # parser-confusion tricks
    "http://127.0.0.1%2f.example.com/video.mp4",
    "http://127%2e0%2e0%2e1:T/video.mp4",
    "http://example.com\\@127.0.0.1:T/video.mp4",
    "http://127.0.0.1:T\t/video.mp4",
    "http://[127.0.0.1]:T/video.mp4",
    "http://127.0.0.1:0/video.mp4",
    "http:///video.mp4",
    "http://" + "a" * 2100 + ".com/video.mp4",
    # the redirector itself is on loopback
    "http://127.0.0.1:R/bounce?to=http://127.0.0.1:T/video.mp4",
]


def _fill(url: str, target: CountingServer, redirector: CountingServer) -> str:
    return url.replace(":T", f":{target.port}").replace(":R", f":{redirector.port}")


def _local_only_names() -> list[str]:
    """Ordinary host names (not `localhost`) that this machine resolves only to non-public
    addresses: a "public-looking" name that resolves to a private address, without DNS.
    Typically the machine's own name (/etc/hosts), e.g. `vm` -> 127.0.0.1 here, or a
    container's name -> its 172.17.x.x address in CI."""
    names = []
    for name in dict.fromkeys((socket.gethostname(), socket.getfqdn())):
        if not name or name.lower() in _LOCAL_NAMES or name.endswith(".localhost"):
            continue
        try:
            infos = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
        except OSError:
            continue
        ips = {ipaddress.ip_address(str(i[4][0]).split("%")[0]) for i in infos}
        if ips and not any(ip.is_global for ip in ips):
            names.append(name)
    return names


def test_hostile_urls_are_refused_at_submit(extra_apps: ExtraApps, target: CountingServer,
                                            redirector: CountingServer) -> None:
    app = extra_apps.hostile
    before = app.job_count()
    answers = {}
    with app.client() as c:
        for raw in REFUSED_AT_SUBMIT:
            url = _fill(raw, target, redirector)
            r = c.post("/jobs/by-urls", json={"urls": [url]})
            answers[raw] = (r.status_code, r.json().get("detail", ""))
    wrong = {u: a for u, a in answers.items() if a[0] not in (400, 403)}
    assert not wrong, wrong
    # A clear reason, never the pydantic 422 shape.
    assert all(isinstance(d, str) and len(d) > 10 for _, d in answers.values())
    assert answers["file:///etc/passwd"][0] == 400
    assert "URL_ALLOW_PRIVATE" in answers["http://2130706433:T/video.mp4"][1]
    assert len(REFUSED_AT_SUBMIT) >= 45
    assert app.job_count() == before, "a refused URL was queued"
    assert target.hits == 0 and redirector.hits == 0


def test_a_batch_with_one_hostile_url_queues_nothing(extra_apps: ExtraApps,
                                                     target: CountingServer) -> None:
    app = extra_apps.hostile
    before = app.job_count()
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [
            "https://videos.example.org/a.mp4", f"http://0x7f.1:{target.port}/b.mp4"]})
    assert r.status_code == 403
    assert app.job_count() == before


def test_names_that_resolve_to_private_addresses_fail_at_fetch(
        extra_apps: ExtraApps, target: CountingServer, redirector: CountingServer) -> None:
    """Submit cannot know where a name points (no DNS in the request); the worker resolves it,
    refuses, and the job fails with the reason. Neither the redirector nor the target is hit."""
    names = _local_only_names()
    if not names:
        pytest.skip("this machine has no host name that resolves only to private addresses")
    app = extra_apps.hostile
    urls = []
    for name in names:
        urls += [f"http://{name}:{target.port}/video.mp4",
                 f"http://{name.upper()}.:{target.port}/video.mp4",
                 f"http://{name}:{redirector.port}/bounce?to=http://127.0.0.1:{target.port}/v.mp4"]
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": urls})
    assert r.status_code == 200, r.text
    for sub in r.json():
        job = app.wait_job(sub["job_id"])
        assert job["status"] == "failed", job
        assert "non-public address" in job["error"], job["error"]
    assert target.hits == 0 and redirector.hits == 0


@pytest.mark.parametrize("to, reason", [
    ("http://localhost:T/video.mp4", "deny list"),
    ("http://LocalHost.:T/video.mp4", "deny list"),
    ("http://cdn.localhost:T/video.mp4", "deny list"),
    ("file:///etc/passwd", "only http and https"),
    ("ftp://127.0.0.1:T/video.mp4", "only http and https"),
    ("gopher://127.0.0.1:T/_x", "only http and https"),
])
def test_each_redirect_hop_is_checked_again(extra_apps: ExtraApps, target: CountingServer,
                                            redirector: CountingServer, to: str,
                                            reason: str) -> None:
    """`/guarded` may fetch from 127.0.0.1 but never from `localhost`: the redirector is
    reached, the hop it bounces to is refused and the target sees nothing."""
    app = extra_apps.guarded
    to = to.replace(":T", f":{target.port}")
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{redirector.base}/bounce?to={to}"]})
    assert r.status_code == 200, r.text
    job = app.wait_job(r.json()[0]["job_id"])
    assert job["status"] == "failed"
    assert "redirect refused" in job["error"] and reason in job["error"], job["error"]
    assert redirector.hits == 1 and target.hits == 0


def test_a_redirect_loop_ends_at_the_limit(extra_apps: ExtraApps,
                                          redirector: CountingServer) -> None:
    app: ExtraApp = extra_apps.guarded
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{redirector.base}/loop"]})
    job = app.wait_job(r.json()[0]["job_id"])
    assert job["status"] == "failed" and "too many redirects" in job["error"], job["error"]
    assert redirector.hits == 3 + 1  # URL_MAX_REDIRECTS=3 on /guarded, plus the first request


def test_a_body_that_is_not_a_video_fails_with_a_reason(extra_apps: ExtraApps,
                                                        target: CountingServer) -> None:
    app = extra_apps.guarded
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/page.html"]})
    job = app.wait_job(r.json()[0]["job_id"])
    assert job["status"] == "failed" and "not a video" in job["error"], job["error"]
    assert target.hits == 1


def test_a_download_over_the_size_limit_fails(extra_apps: ExtraApps,
                                              target: CountingServer) -> None:
    app = extra_apps.guarded  # MAX_UPLOAD_MB=5 also bounds downloads
    with app.client() as c:
        r = c.post("/jobs/by-urls", json={"urls": [f"{target.base}/big.mp4"]})
    job = app.wait_job(r.json()[0]["job_id"])
    assert job["status"] == "failed" and "larger than the 5 MB limit" in job["error"], job
    leftovers = [p for p in (app.data_dir / "artifacts").rglob("*") if p.is_file()]
    assert not leftovers, leftovers
