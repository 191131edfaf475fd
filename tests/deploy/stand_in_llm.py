"""A stand-in for `ray.serve.llm:build_openai_app` (vLLM is GPU-only and not installed here): a
Serve deployment with a FastAPI ingress answering the same OpenAI routes (`/v1/chat/completions`,
`/v1/models`) under the application's route prefix, with the answers of tests/fakes/fake_openai.py
(the echo model: it names the first of `brands` it finds in the prompt).

It takes the same `args` as the real builder (`llm_configs`, each with
`model_loading_config.model_id`), so serve_config.gpu.yaml's LLM application runs unchanged but for
its import_path; `stand_in.brands` (optional) sets the echo model's brands.
`GET /stand-in/requests` lists what the chat route received."""

# No `from __future__ import annotations`: FastAPI must see `Request` itself through Serve's
# class-based ingress, not a string, or it takes the parameter for a query field.
import json
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from ray import serve
from ray.serve import Application

from tests.fakes._server import Recorded
from tests.fakes.fake_openai import FakeOpenAI

app = FastAPI()


@serve.deployment(name="stand-in-llm", ray_actor_options={"num_cpus": 0})
@serve.ingress(app)
class StandInLLM:
    def __init__(self, model_ids: list[str], brands: dict[str, str] | None) -> None:
        overrides: dict[str, Any] = {"models": model_ids}
        if brands:
            overrides["brands"] = brands
        # Never started: only its routing and answers are used, behind Serve's proxy.
        self.fake = FakeOpenAI(**overrides)

    @app.get("/stand-in/requests")
    def requests(self) -> list[dict[str, Any]]:
        return [{"method": r.method, "path": r.path, "status": r.status, "model": r.model,
                 "text": r.text, "images": [vars(i) for i in r.images]}
                for r in self.fake.requests]

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def openai(self, path: str, request: Request) -> Response:
        raw = await request.body()
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        rec = Recorded(method=request.method, path="/" + path,
                       headers={k.lower(): v for k, v in request.headers.items()}, body=body)
        self.fake.record(rec)
        status, payload, ctype = self.fake.route(rec)
        rec.status = status
        if isinstance(payload, Iterator):
            return StreamingResponse(payload, status_code=status, media_type=ctype)
        return JSONResponse(payload, status_code=status)


def build_openai_app(args: dict[str, Any]) -> Application:
    """Same signature and args as ray.serve.llm:build_openai_app."""
    model_ids = [c["model_loading_config"]["model_id"] for c in args["llm_configs"]]
    brands = (args.get("stand_in") or {}).get("brands")
    deployment: Any = StandInLLM
    return deployment.bind(model_ids, brands)
