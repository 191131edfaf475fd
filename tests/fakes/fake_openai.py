"""A stand-in OpenAI-compatible server (as vLLM / llama.cpp server answer): `/v1/chat/completions`,
`/v1/models`, `/health`. Errors are `{"error": {"message", "type", "code"}}`.

Tool calling as OpenAI does it: `tools` in the request; `choices[0].message.tool_calls`
(`[{id, type: "function", function: {name, arguments: "<JSON text>"}}]`) with finish_reason
`tool_calls`; results come back as `role: tool` messages answering each `tool_call_id`, text
only (a picture goes in a user message). Scripted by `Behaviour.script` (see _tools.py)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from tests.fakes._answers import PROSE, BadImage, answer_text, inspect_image
from tests.fakes._server import FakeServer, Recorded
from tests.fakes._tools import offered_tools

JSON = "application/json"
DATA_URL_PREFIX = "data:image/jpeg;base64,"
_ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error",
                404: "invalid_request_error", 429: "rate_limit_error"}


def _error(status: int, message: str, code: str | None = None) -> tuple[int, Any, str]:
    kind = _ERROR_TYPES.get(status, "server_error")
    return status, {"error": {"message": message, "type": kind, "param": None, "code": code}}, JSON


class FakeOpenAI(FakeServer):
    default_models = ["qwen3-vl-8b-instruct"]

    @property
    def base_url(self) -> str:
        """What to put in OPENAI_BASE_URL."""
        return f"{self.url}/v1"

    def route(self, rec: Recorded) -> tuple[int, Any, str]:
        if rec.path == "/health" and rec.method == "GET":
            return 200, {"status": "ok"}, JSON
        if not rec.path.startswith("/v1/"):
            return _error(404, f"File Not Found: {rec.path}", "not_found")
        if (denied := self._auth(rec)) is not None:
            return denied
        if rec.path == "/v1/models" and rec.method == "GET":
            data = [{"id": m, "object": "model", "created": 1_760_000_000 + i,
                     "owned_by": "llamacpp"} for i, m in enumerate(self.models)]
            return 200, {"object": "list", "data": data}, JSON
        if rec.path == "/v1/chat/completions" and rec.method == "POST":
            return self._chat(rec)
        return _error(404, f"Unknown endpoint {rec.method} {rec.path}", "not_found")

    def _auth(self, rec: Recorded) -> tuple[int, Any, str] | None:
        want = self.behaviour.api_key
        if want is None:
            return None
        got = rec.headers.get("authorization", "")
        if got == f"Bearer {want}":
            return None
        shown = got.removeprefix("Bearer ")
        # Like the real service, quote part of the key back: clients must not pass this on.
        return _error(401, f"Incorrect API key provided: {shown}.", "invalid_api_key")

    def _chat(self, rec: Recorded) -> tuple[int, Any, str]:
        b = self.behaviour
        body = rec.body if isinstance(rec.body, dict) else None
        if body is None:
            return _error(400, "invalid JSON body")
        rec.model = str(body.get("model") or "")
        if rec.model not in self.models:
            return _error(404, f"The model `{rec.model}` does not exist.", "model_not_found")
        rec.tools, bad = offered_tools(body)
        if bad:
            return _error(400, bad)
        if (bad := self._check_tool_messages(rec, body.get("messages") or [])):
            return _error(400, bad)
        texts: list[str] = []
        for msg in body.get("messages") or []:
            role, content = msg.get("role"), msg.get("content")
            if role == "tool":
                continue  # checked above: text answering a call
            parts: list[dict[str, Any]] = (
                [{"type": "text", "text": content}] if isinstance(content, str) else content or []
            )
            for part in parts:
                if part.get("type") == "text":
                    if role == "system":
                        rec.system += part.get("text", "")
                    elif role == "user":
                        texts.append(part.get("text", ""))
                elif part.get("type") == "image_url":
                    url = (part.get("image_url") or {}).get("url", "")
                    if not url.startswith(DATA_URL_PREFIX):
                        if b.check_images:
                            return _error(400, f"image_url is not a JPEG data URL: {url[:40]}")
                        continue
                    try:
                        rec.images.append(inspect_image(url[len(DATA_URL_PREFIX):],
                                                        b.max_image_side if b.check_images
                                                        else 1 << 30))
                    except BadImage as err:
                        if b.check_images:
                            return _error(400, str(err))
        rec.text = "\n".join(texts)
        self.wait(b.delay)
        plan = self.next_chat_call()
        if plan.fail:
            return _error(b.fail_status, f"fake failure (HTTP {b.fail_status})")
        message: dict[str, Any]
        finish = "stop"
        rec.scripted = None if plan.prose else self.next_scripted()
        if rec.scripted is not None:
            message = {"role": "assistant", "content": rec.scripted.get("content") or None}
            if rec.scripted.get("thinking"):
                message["reasoning_content"] = rec.scripted["thinking"]
            calls = rec.scripted.get("tool_calls") or []
            if calls:
                finish = "tool_calls"
                message["tool_calls"] = [{
                    "id": f"call_{uuid.uuid4().hex[:12]}", "type": "function",
                    "function": {"name": c["name"], "arguments": c["arguments"] if isinstance(
                        c.get("arguments"), str) else json.dumps(c.get("arguments", {}))},
                } for c in calls]
        else:
            message = {"role": "assistant", "content": PROSE if plan.prose else answer_text(
                b.answer, rec.text, b.brands, plan.confidence, len(rec.images))}
        content = message["content"] or ""
        prompt_tokens = len(rec.text) // 4 + 256 * len(rec.images)
        completion = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": rec.model,
            "system_fingerprint": "fake",
            "choices": [{
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": finish,
            }],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt_tokens + len(content) // 4},
        }
        if body.get("stream"):
            return 200, self._stream(completion), "text/event-stream"
        return 200, completion, JSON

    @staticmethod
    def _check_tool_messages(rec: Recorded, messages: list[dict[str, Any]]) -> str:
        """As OpenAI checks them: every tool call of an assistant message is answered by a
        `tool` message with its id, right after it and before anything else; tool messages
        are text."""
        pending: list[str] = []
        for msg in messages:
            role = msg.get("role")
            if role == "tool":
                call_id = msg.get("tool_call_id")
                if call_id not in pending:
                    return ("Invalid parameter: messages with role 'tool' must be a response to "
                            "a preceeding message with 'tool_calls'.")
                pending.remove(call_id)
                content = msg.get("content")
                if not isinstance(content, str) and not all(
                        isinstance(p, dict) and p.get("type") == "text" for p in content or []):
                    return "Image URLs are only allowed for messages with role 'user'"
                rec.tool_results.append({"tool_call_id": call_id, "content": content})
                continue
            if pending:
                return ("An assistant message with 'tool_calls' must be followed by tool "
                        "messages responding to each 'tool_call_id'. The following "
                        f"tool_call_ids did not have response messages: {', '.join(pending)}")
            if role == "assistant":
                for call in msg.get("tool_calls") or []:
                    fn = call.get("function") or {}
                    if call.get("type") != "function" or not call.get("id") or \
                            not isinstance(fn.get("arguments"), str):
                        return "Invalid 'messages': tool_calls need id, type and string arguments"
                    pending.append(call["id"])
        if pending:
            return f"tool_call_ids without response messages: {', '.join(pending)}"
        return ""

    @staticmethod
    def _stream(completion: dict[str, Any]) -> Iterator[bytes]:
        content = completion["choices"][0]["message"]["content"]
        base = {k: completion[k] for k in ("id", "created", "model")}
        deltas = [{"role": "assistant", "content": ""}, {"content": content}]
        for i, delta in enumerate(deltas):
            chunk = dict(base, object="chat.completion.chunk", choices=[{
                "index": 0, "delta": delta, "finish_reason": "stop" if i == len(deltas) - 1
                else None}])
            yield f"data: {json.dumps(chunk)}\n\n".encode()
        yield b"data: [DONE]\n\n"
