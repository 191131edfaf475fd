"""Domain errors → JSON answers with a clear message.

Every error is `{"detail": "<message>"}`. A request that does not validate (422) says what is
wrong in `detail` as one readable string (the original's dashboard prints `String(detail)`) and
lists FastAPI's per-field errors under `errors`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from adclf.errors import AdclfError


def validation_message(errors: list[dict[str, Any]]) -> str:
    """`body.settings.provider: Input should be ...; ...`, the first few errors."""
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else
                     str(err.get("msg", "invalid")))
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "invalid request: " + "; ".join(parts) + more


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AdclfError)
    async def _domain_error(_: Request, exc: AdclfError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content={"detail": str(exc)})

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(exc.errors(), custom_encoder={Exception: str})
        return JSONResponse(status_code=422, content={"detail": validation_message(errors),
                                                     "errors": errors})
