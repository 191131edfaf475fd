"""Domain errors → JSON answers with a clear message."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from adclf.errors import AdclfError


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AdclfError)
    async def _domain_error(_: Request, exc: AdclfError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content={"detail": str(exc)})
