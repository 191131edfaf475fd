"""The dashboard's production build (frontend/ → adclf/static), served at `/`."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent.parent / "static"
router = APIRouter(include_in_schema=False)

_MISSING = """<!doctype html><title>adclf</title><h1>adclf API</h1>
<p>The dashboard is not built (run <code>make run</code>). The API docs are at
<a href="/docs">/docs</a>.</p>"""


@router.get("/")
async def index() -> object:
    page = STATIC / "index.html"
    if page.exists():
        return FileResponse(page, headers={"Cache-Control": "no-cache"})
    return HTMLResponse(_MISSING)


def mount_assets(app: FastAPI) -> None:
    assets = STATIC / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    for extra in ("favicon.svg", "favicon.ico"):
        if (STATIC / extra).exists():
            path = STATIC / extra

            async def _send(p: Path = path) -> FileResponse:
                return FileResponse(p)

            app.add_api_route(f"/{extra}", _send, include_in_schema=False)
