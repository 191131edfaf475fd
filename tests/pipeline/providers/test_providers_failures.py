"""How model server failures are worded: the reason a connection failed, and server addresses
without their credentials or secret query values."""

from __future__ import annotations

import httpx
import openai

from adclf.pipeline.providers.failures import Transient, connect_detail
from adclf.pipeline.providers.ollama import ollama_error
from adclf.pipeline.providers.openai_compat import openai_error


def test_connect_detail_reads_the_cause() -> None:
    try:
        try:
            raise OSError("[Errno 111] Connection refused")
        except OSError:
            raise ConnectionError("Failed to connect") from None
    except ConnectionError as err:
        assert connect_detail(err) == "connection refused"


def test_server_addresses_lose_credentials_and_secret_query_values() -> None:
    url = "http://user:pw@127.0.0.1:8080/v1?token=s3cret&region=eu"
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    for err in (
        openai_error(openai.APIConnectionError(request=httpx.Request("POST", url)), url, "m",
                     5.0, None),
        ollama_error(refused, url, "m", 5.0),
    ):
        assert isinstance(err, Transient)
        text = str(err)
        assert "not reachable at http://***@127.0.0.1:8080/v1?token=***&region=eu" in text
        assert "pw" not in text and "s3cret" not in text


def test_an_ollama_host_without_scheme_is_named_as_reached() -> None:
    err = ollama_error(httpx.ConnectError("Connection refused"), "127.0.0.1:11434", "m", 5.0)
    assert str(err) == "Ollama is not reachable at http://127.0.0.1:11434: connection refused"
