"""The pieces of the MCP server that need no service: the address tools call back, and that the
token never shows in a target's repr."""

from __future__ import annotations

from adclf.mcp.api import ApiTarget
from adclf.mcp.http import base_url


def test_base_url_is_the_socket_address_with_the_route_prefix() -> None:
    scope = {"server": ("127.0.0.1", 8123), "scheme": "http", "root_path": "/secure",
             "headers": [(b"host", b"evil.example:80")]}
    # The Host header is the client's choice: never where the caller's token is sent.
    assert base_url(scope) == "http://127.0.0.1:8123/secure"
    assert base_url({**scope, "root_path": ""}) == "http://127.0.0.1:8123"
    assert base_url({"server": ("::1", 8000), "scheme": "https"}) == "https://[::1]:8000"


def test_target_repr_hides_the_token_and_url_credentials() -> None:
    shown = repr(ApiTarget("http://user:pw@10.0.0.5:8000", "s3cret-token"))
    assert "s3cret-token" not in shown and "pw" not in shown and "token=set" in shown
