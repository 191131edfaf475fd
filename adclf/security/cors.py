"""CORS from `CORS_ORIGINS`, read when a request arrives rather than when the app is built.

Ray Serve ships the FastAPI app to the ingress replica before the deployment's `Settings` exist
(`adclf.api.deployment` builds the app at import time), so an origin list fixed at build time is
always empty there. This middleware asks for the origins on each request and hands the request to
Starlette's `CORSMiddleware`, built once per origin list. `*` never comes with credentials."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# Every method a route uses (a browser refuses the call when its preflight does not list it);
# tests/security/test_security_api_cors_limits.py checks this against the schema.
ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
ALLOW_HEADERS = ["Authorization", "Content-Type", "X-Filename", "Range"]
# Response headers a dashboard on another origin may read: pagination and reasons.
EXPOSE_HEADERS = ["X-Total-Count", "X-Limit", "X-Offset", "X-Unavailable-Nodes",
                  "X-Unavailable-Reason", "Content-Disposition"]


class SettingsCORSMiddleware:
    def __init__(self, app: ASGIApp, origins: Callable[[], Sequence[str]]) -> None:
        self.app = app
        self.origins = origins
        self._built: tuple[tuple[str, ...], ASGIApp] | None = None

    def _cors(self, origins: tuple[str, ...]) -> ASGIApp:
        if self._built is None or self._built[0] != origins:
            self._built = (origins, CORSMiddleware(
                self.app, allow_origins=list(origins), allow_credentials="*" not in origins,
                allow_methods=ALLOW_METHODS, allow_headers=ALLOW_HEADERS,
                expose_headers=EXPOSE_HEADERS))
        return self._built[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origins = tuple(self.origins()) if scope["type"] == "http" else ()
        if not origins:
            await self.app(scope, receive, send)
            return
        await self._cors(origins)(scope, receive, send)
