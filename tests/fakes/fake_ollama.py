"""A stand-in Ollama server speaking Ollama's HTTP API: `/api/chat`, `/api/tags`, `/api/show`,
`/api/version`, `GET /`. Bodies follow Ollama's own (errors are `{"error": "..."}`).

Tool calling as Ollama does it: `tools` in the request, `message.tool_calls`
(`[{"function": {"name", "arguments": {...}}}]`, arguments an object) in the reply, results sent
back as `role: tool` messages (`tool_name`); scripted by `Behaviour.script` (see _tools.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from tests.fakes._answers import PROSE, BadImage, answer_text, inspect_image
from tests.fakes._server import FakeServer, Recorded
from tests.fakes._tools import offered_tools

JSON = "application/json; charset=utf-8"
NDJSON = "application/x-ndjson"


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _details(name: str) -> dict[str, Any]:
    family = "qwen3vl" if "vl" in name else "llama"
    return {
        "parent_model": "",
        "format": "gguf",
        "family": family,
        "families": [family],
        "parameter_size": "8.8B",
        "quantization_level": "Q4_K_M",
    }


def _error(status: int, message: str) -> tuple[int, Any, str]:
    return status, {"error": message}, JSON


class FakeOllama(FakeServer):
    default_models = ["qwen3-vl:8b-instruct", "llava:7b"]

    @property
    def host(self) -> str:
        """What to put in OLLAMA_HOST."""
        return self.url

    def route(self, rec: Recorded) -> tuple[int, Any, str]:
        if rec.path == "/" and rec.method in ("GET", "HEAD"):
            return 200, b"Ollama is running", "text/plain; charset=utf-8"
        if rec.path == "/api/version" and rec.method == "GET":
            return 200, {"version": "0.12.6"}, JSON
        if rec.path == "/api/tags" and rec.method == "GET":
            return 200, {"models": [self._tag(name, i) for i, name in enumerate(self.models)]}, JSON
        if rec.path == "/api/show" and rec.method == "POST":
            return self._show(rec)
        if rec.path == "/api/chat" and rec.method == "POST":
            return self._chat(rec)
        return 404, b"404 page not found", "text/plain"

    def _tag(self, name: str, i: int) -> dict[str, Any]:
        return {
            "name": name,
            "model": name,
            "modified_at": f"2026-0{1 + i % 9}-15T10:00:00.000000Z",
            "size": 6_100_000_000 + i,
            "digest": f"{i:064x}",
            "details": _details(name),
        }

    def _show(self, rec: Recorded) -> tuple[int, Any, str]:
        body = rec.body if isinstance(rec.body, dict) else {}
        name = str(body.get("model") or body.get("name") or "")
        if name not in self.models:
            return _error(404, f"model '{name}' not found")
        return 200, {"details": _details(name), "capabilities": ["completion", "vision"],
                     "modified_at": _now()}, JSON

    def _chat(self, rec: Recorded) -> tuple[int, Any, str]:
        b = self.behaviour
        body = rec.body if isinstance(rec.body, dict) else None
        if body is None:
            return _error(400, "invalid request body")
        rec.model = str(body.get("model") or "")
        if not rec.model:
            return _error(400, "model is required")
        if rec.model not in self.models:
            return _error(404, f'model "{rec.model}" not found, try pulling it first')
        rec.tools, bad = offered_tools(body)
        if bad:
            return _error(400, bad)
        texts: list[str] = []
        for msg in body.get("messages") or []:
            role, content = msg.get("role"), msg.get("content") or ""
            if not isinstance(content, str):
                return _error(400, "json: cannot unmarshal array into Go struct field "
                                   "Message.messages.content of type string")
            if role == "assistant":
                for call in msg.get("tool_calls") or []:
                    args = (call.get("function") or {}).get("arguments")
                    if not isinstance(args, dict):
                        return _error(400, "json: cannot unmarshal string into Go struct field "
                                           "ToolCallFunction.messages.tool_calls.function."
                                           "arguments of type api.ToolCallFunctionArguments")
            elif role == "tool":
                rec.tool_results.append({"tool_name": msg.get("tool_name", ""),
                                         "content": content})
            if role == "system":
                rec.system += content
            elif role == "user":
                texts.append(content)
                for img in msg.get("images") or []:
                    try:
                        rec.images.append(inspect_image(img, b.max_image_side if b.check_images
                                                        else 1 << 30))
                    except BadImage as err:
                        if b.check_images:
                            return _error(400, str(err))
        rec.text = "\n".join(texts)
        started = time.monotonic_ns()
        self.wait(b.delay)
        plan = self.next_chat_call()
        if plan.fail:
            return _error(b.fail_status, f"fake failure (HTTP {b.fail_status})")
        message: dict[str, Any]
        rec.scripted = None if plan.prose else self.next_scripted()
        if rec.scripted is not None:
            message = {"role": "assistant", "content": rec.scripted.get("content", "")}
            if rec.scripted.get("thinking"):
                message["thinking"] = rec.scripted["thinking"]
            if rec.scripted.get("tool_calls"):
                message["tool_calls"] = [
                    {"function": {"name": c["name"], "arguments": c.get("arguments", {})}}
                    for c in rec.scripted["tool_calls"]]
        else:
            message = {"role": "assistant", "content": PROSE if plan.prose else answer_text(
                b.answer, rec.text, b.brands, plan.confidence, len(rec.images))}
        content = message["content"]
        final = {
            "model": rec.model,
            "created_at": _now(),
            "message": message,
            "done": True,
            "done_reason": "stop",
            "total_duration": time.monotonic_ns() - started + 1,
            "load_duration": 1_000_000,
            "prompt_eval_count": len(rec.text) // 4 + 256 * len(rec.images),
            "prompt_eval_duration": 1_000_000,
            "eval_count": len(content) // 4,
            "eval_duration": 1_000_000,
        }
        if body.get("stream", True) is False:
            return 200, final, JSON
        return 200, self._stream(final), NDJSON

    @staticmethod
    def _stream(final: dict[str, Any]) -> Iterator[bytes]:
        # Ollama streams one object per line; the last one carries done=true and the stats.
        content = final["message"]["content"]
        half = len(content) // 2
        for piece in (content[:half], content[half:]):
            part = {"model": final["model"], "created_at": final["created_at"],
                    "message": {"role": "assistant", "content": piece}, "done": False}
            yield (json.dumps(part) + "\n").encode()
        last = dict(final, message={"role": "assistant", "content": "",
                                    **({"tool_calls": final["message"]["tool_calls"]}
                                       if final["message"].get("tool_calls") else {})})
        yield (json.dumps(last) + "\n").encode()
