"""The dashboard's typed client is generated from frontend/openapi.json; it must be the schema the
API really serves, or the types lie. Fix a failure with:
`make openapi && (cd frontend && npm run gen:api && npm run typecheck)`."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_matches_the_app() -> None:
    from adclf.api.app import create_app

    committed = json.loads((ROOT / "frontend" / "openapi.json").read_text("utf-8"))
    live = json.loads(json.dumps(create_app().openapi(), sort_keys=True))
    assert sorted(committed["paths"]) == sorted(live["paths"]), "routes differ"
    for path, ops in live["paths"].items():
        assert committed["paths"][path] == ops, f"{path} differs from frontend/openapi.json"
    assert committed.get("components") == live.get("components"), "schemas differ"


def test_generated_types_cover_every_route() -> None:
    schema = ROOT / "frontend" / "openapi.json"
    types = ROOT / "frontend" / "src" / "api" / "schema.d.ts"
    text = types.read_text("utf-8")
    # Every route of the schema appears in the generated types.
    for path in json.loads(schema.read_text("utf-8"))["paths"]:
        assert f'"{path}"' in text, f"{path} missing from schema.d.ts: run npm run gen:api"
