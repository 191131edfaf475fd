"""Submit-time URL policy: no network, numeric IP tricks, allow/deny lists."""

from __future__ import annotations

import pytest

from adclf.errors import BadInput, Forbidden
from adclf.net.addresses import parse_ipv4_lenient
from adclf.net.urls import validate_url

ACCEPTED = [
    ("http://example.com/ad.mp4", "http://example.com/ad.mp4"),
    ("HTTPS://Example.COM:443/a/b.mp4?x=1#frag", "https://example.com/a/b.mp4?x=1"),
    ("http://example.com:8080", "http://example.com:8080/"),
    ("https://bücher.de/v.mp4", "https://xn--bcher-kva.de/v.mp4"),
    ("http://8.8.8.8/v.mp4", "http://8.8.8.8/v.mp4"),
    ("http://[2606:4700:4700::1111]:8080/v", "http://[2606:4700:4700::1111]:8080/v"),
    ("http://134744072/v.mp4", "http://8.8.8.8/v.mp4"),  # numeric forms are normalised
    ("  http://example.com./v.mp4  ", "http://example.com/v.mp4"),
    ("http://user:pw@example.com/v.mp4", "http://user:pw@example.com/v.mp4"),
    (
        "https://example.com/vidéo%20x.mp4?q=é&a=b",
        "https://example.com/vid%C3%A9o%20x.mp4?q=%C3%A9&a=b",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), ACCEPTED)
def test_accepts_and_normalises(raw: str, expected: str, make_settings) -> None:
    assert validate_url(raw, make_settings()) == expected


REFUSED: list[tuple[str, type[Exception]]] = [
    ("ftp://example.com/v.mp4", BadInput),
    ("file:///etc/passwd", BadInput),
    ("gopher://127.0.0.1:70/", BadInput),
    ("javascript:alert(1)", BadInput),
    ("data:video/mp4;base64,AAAA", BadInput),
    ("example.com/v.mp4", BadInput),
    ("http:///v.mp4", BadInput),
    ("http://", BadInput),
    ("", BadInput),
    ("http://example.com/" + "a" * 2100, BadInput),
    ("http://exa mple.com/", BadInput),
    ("http://example.com/\r\nHost: evil", BadInput),
    ("http://example.com\\@127.0.0.1/", BadInput),
    ("http://%31%32%37.0.0.1/", BadInput),
    ("http://1.2.3.256/", BadInput),
    ("http://foo.123/", BadInput),
    ("http://example.com:99999/", BadInput),
    ("http://example.com:0/", BadInput),
    ("http://[fe80::1%25eth0]/", BadInput),
    ("http://127.0.0.1/", Forbidden),
    ("http://2130706433/", Forbidden),
    ("http://0x7f.1/", Forbidden),
    ("http://0x7f000001/", Forbidden),
    ("http://127.1/", Forbidden),
    ("http://0177.0.0.1/", Forbidden),
    ("http://017700000001/", Forbidden),
    ("http://127.0.0.1./", Forbidden),
    ("http://0/", Forbidden),
    ("http://0.0.0.0:8000/", Forbidden),
    ("http://[::1]/", Forbidden),
    ("http://[::]/", Forbidden),
    ("http://[::ffff:127.0.0.1]/", Forbidden),
    ("http://[::ffff:7f00:1]/", Forbidden),
    ("http://[::127.0.0.1]/", Forbidden),
    ("http://[::ffff:169.254.169.254]/", Forbidden),
    ("http://[64:ff9b::a9fe:a9fe]/", Forbidden),
    ("http://[2002:7f00:1::1]/", Forbidden),
    ("http://[fd00::1]/", Forbidden),
    ("http://[fc00::5]/", Forbidden),
    ("http://[fe80::1]/", Forbidden),
    ("http://[fec0::1]/", Forbidden),
    ("http://[ff02::1]/", Forbidden),
    ("http://169.254.169.254/latest/meta-data/", Forbidden),
    ("http://10.0.0.1/", Forbidden),
    ("http://172.16.5.4/", Forbidden),
    ("http://192.168.0.1/", Forbidden),
    ("http://100.64.0.1/", Forbidden),
    ("http://198.18.0.1/", Forbidden),
    ("http://224.0.0.1/", Forbidden),
    ("http://240.0.0.1/", Forbidden),
    ("http://255.255.255.255/", Forbidden),
    ("http://localhost/", Forbidden),
    ("http://LOCALHOST.:8000/", Forbidden),
    ("http://api.localhost/", Forbidden),
    ("http://metadata.google.internal/computeMetadata/v1/", Forbidden),
    ("http://example.com@127.0.0.1/", Forbidden),
    ("http://127.0.0.1#@example.com/", Forbidden),
]


@pytest.mark.parametrize(("raw", "error"), REFUSED)
def test_refuses(raw: str, error: type[Exception], make_settings) -> None:
    with pytest.raises(error):
        validate_url(raw, make_settings())


def test_private_literals_allowed_when_configured(make_settings) -> None:
    settings = make_settings(URL_ALLOW_PRIVATE=True)
    assert validate_url("http://127.1:8000/x", settings) == "http://127.0.0.1:8000/x"
    assert validate_url("http://[::1]/x", settings) == "http://[::1]/x"
    with pytest.raises(BadInput):  # syntax rules still apply
        validate_url("ftp://127.0.0.1/", settings)


def test_scheme_message(make_settings) -> None:
    with pytest.raises(BadInput, match="only http and https URLs are accepted"):
        validate_url("ftp://example.com/", make_settings())


def test_allow_and_deny_lists(make_settings) -> None:
    settings = make_settings(
        URL_HOST_ALLOWLIST="cdn.example.com,videos.org,8.8.8.0/24",
        URL_HOST_DENYLIST="bad.videos.org",
    )
    assert validate_url("https://cdn.example.com/a.mp4", settings)
    assert validate_url("https://a.b.videos.org/a.mp4", settings)
    assert validate_url("https://8.8.8.8/a.mp4", settings)
    for refused in (
        "https://example.com/a.mp4",
        "https://evilvideos.org/a.mp4",  # suffix match is per label
        "https://videos.org.evil.com/a.mp4",
        "https://bad.videos.org/a.mp4",  # deny wins over allow
        "https://x.bad.videos.org/a.mp4",
        "https://8.8.4.4/a.mp4",
    ):
        with pytest.raises(Forbidden):
            validate_url(refused, settings)


def test_denylist_alone(make_settings) -> None:
    settings = make_settings(URL_HOST_DENYLIST="*.tracker.net,Example.COM.")
    with pytest.raises(Forbidden):
        validate_url("http://a.tracker.net/", settings)
    with pytest.raises(Forbidden):
        validate_url("http://EXAMPLE.com/", settings)
    assert validate_url("http://example.org/", settings) == "http://example.org/"


def test_messages_do_not_leak_secrets(make_settings) -> None:
    with pytest.raises(Forbidden) as info:
        validate_url("http://admin:hunter2@127.0.0.1/v?token=s3cr3t&x=1", make_settings())
    text = str(info.value)
    assert "hunter2" not in text and "s3cr3t" not in text and "admin" not in text
    assert "x=1" in text


@pytest.mark.parametrize(
    ("host", "ip"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0177.0.1", "127.0.0.1"),
        ("10.1.258", "10.1.1.2"),
        ("0xA9.0xFE.0xA9.0xFE", "169.254.169.254"),
        ("4294967295", "255.255.255.255"),
    ],
)
def test_lenient_ipv4(host: str, ip: str) -> None:
    assert str(parse_ipv4_lenient(host)) == ip


@pytest.mark.parametrize("host", ["4294967296", "1.2.3.4.5", "08.1.1.1", "256.1.1.1", "a.1"])
def test_lenient_ipv4_rejects(host: str) -> None:
    assert parse_ipv4_lenient(host) is None
