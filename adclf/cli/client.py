"""The HTTP client the CLI uses: one place that turns transport and API failures into messages
a person can act on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from adclf.http_detail import api_detail
from adclf.security.redact import redact_url

DEFAULT_SERVER = "http://127.0.0.1:8000"


class ApiError(Exception):
    """A request that did not succeed, with a one-line explanation for the user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def normalize_server(server: str) -> str:
    server = server.strip().rstrip("/")
    if "://" not in server:
        server = f"http://{server}"
    return server


class ApiClient:
    """Synchronous client of one adclf service. The token travels only in the Authorization
    header; it never appears in messages."""

    def __init__(self, server: str = DEFAULT_SERVER, token: str | None = None,
                 timeout: float = 30.0) -> None:
        self.server = normalize_server(server)
        # What messages show: user:password in the server URL is a credential too.
        self.shown = redact_url(self.server)
        self.has_token = bool(token)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=self.server, headers=headers,
                                 timeout=httpx.Timeout(timeout, connect=10.0))

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise self.transport_error(exc) from None
        self.check(response)
        return response

    def get(self, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return self.request("GET", path, params=clean).json()

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, json=body).json()

    def download(self, path: str, params: dict[str, Any], timeout: float = 300.0
                 ) -> Iterator[bytes]:
        """Stream a response body (exports can be large)."""
        try:
            with self.http.stream("GET", path, params=params, timeout=timeout) as response:
                if response.is_error:
                    response.read()
                    self.check(response)
                yield from response.iter_bytes()
        except httpx.HTTPError as exc:
            raise self.transport_error(exc) from None

    def check(self, response: httpx.Response) -> None:
        if not response.is_error:
            return
        status = response.status_code
        detail = api_detail(response)
        if status == 401:
            if self.has_token:
                raise ApiError(f"the server rejected the API token (401: {detail}); "
                               "check ADCLF_TOKEN or --token", status)
            raise ApiError(f"the server requires an API token (401: {detail}); "
                           "set ADCLF_TOKEN or pass --token", status)
        raise ApiError(f"{status} {response.reason_phrase}: {detail}", status)

    def transport_error(self, exc: httpx.HTTPError) -> ApiError:
        if isinstance(exc, httpx.ConnectError):
            return ApiError(f"cannot connect to the adclf service at {self.shown} ({exc}); "
                            "is the service running? Start it with `make run`, or point "
                            "--server / ADCLF_SERVER at it")
        if isinstance(exc, httpx.TimeoutException):
            return ApiError(f"the adclf service at {self.shown} did not answer in time "
                            f"({type(exc).__name__})")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return ApiError(f"invalid server address {self.shown!r}: {exc}")
        return ApiError(f"request to {self.shown} failed: {type(exc).__name__}: {exc}")
