"""The tool-calling loop: ask the model, run the tools it calls, give it their results (pictures
in a user message after them), until it calls final_answer, or the step or time bound is hit.

Bounds: at most `max_steps` model calls (the last one is offered final_answer only and told so)
and `timeout` seconds; each call may take at most what is left. When a bound is hit the job keeps
the best answer the model stated so far (an answer in its text), or fails saying which bound
ended it. Transient server failures are retried like the one-shot providers do; a server that
stays down fails the job with its reason. Every step is recorded (steps.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from adclf.errors import PipelineError
from adclf.pipeline.agent import prompt
from adclf.pipeline.agent.results import ToolFailure, ToolResult
from adclf.pipeline.agent.steps import Record, Step
from adclf.pipeline.agent.tools import BY_NAME, FINAL, SPECS, Toolbox, check_arguments
from adclf.pipeline.providers.answer import InvalidAnswer, parse_answer
from adclf.pipeline.providers.failures import Transient
from adclf.pipeline.providers.tool_chat import Message, Reply, ToolAsk, ToolCall


@dataclass
class Outcome:
    answer: dict[str, Any] | None  # brand, category, confidence, reasoning (validated)
    stop: str  # answered | steps | time
    reason: str  # in words, for the attempt and the job's error
    turns: int


@dataclass
class Bounds:
    max_steps: int
    timeout: float  # seconds for the whole loop
    call_timeout: float  # seconds for one model call
    retries: int  # transient failures retried per call
    backoff: float = 0.5


def valid_answer(args: dict[str, Any]) -> dict[str, Any]:
    """final_answer's arguments checked as the pipeline checks a model's JSON answer."""
    return parse_answer(json.dumps(args, ensure_ascii=False))


_SLACK = 0.05  # seconds: a socket timeout may wake a hair before the clock says so


class AgentLoop:
    def __init__(self, ask: ToolAsk, toolbox: Toolbox, record: Record, bounds: Bounds, *,
                 on_step: Callable[[Step], None] = lambda step: None,
                 on_turn: Callable[[int], None] = lambda turn: None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.ask = ask
        self.toolbox = toolbox
        self.record = record
        self.bounds = bounds
        self.on_step = on_step
        self.on_turn = on_turn
        self.clock = clock
        self.sleep = sleep
        self.best: dict[str, Any] | None = None  # an answer stated in text, kept for the bound

    def run(self, opening: str) -> Outcome:
        b = self.bounds
        deadline = self.clock() + b.timeout
        messages = [Message("system", prompt.SYSTEM.format(steps=b.max_steps)),
                    Message("user", opening)]
        for turn in range(1, b.max_steps + 1):
            if self.clock() >= deadline:
                return self._bound("time", turn - 1)
            last = turn == b.max_steps
            if last and turn > 1:
                messages.append(Message("user", prompt.LAST_STEP))
            self.on_turn(turn)
            started = self.clock()
            try:
                reply = self._call(messages, [BY_NAME[FINAL]] if last else SPECS, deadline)
            except InvalidAnswer as err:  # a reply cut off: nothing to add to the conversation
                self._add(turn, "error", error=str(err), model_seconds=self.clock() - started)
                continue
            if reply is None:
                return self._bound("time", turn - 1)
            answer = self._turn(turn, reply, messages, last, self.clock() - started)
            if answer is not None:
                return Outcome(answer, "answered", f"answered after {turn} turn"
                               f"{'s' if turn > 1 else ''}", turn)
        return self._bound("steps", b.max_steps)

    # ---- one turn ------------------------------------------------------------------------------
    def _turn(self, turn: int, reply: Reply, messages: list[Message], last: bool,
              model_seconds: float) -> dict[str, Any] | None:
        messages.append(Message("assistant", reply.content, tool_calls=list(reply.tool_calls)))
        said = self._stated(reply.content)
        if not reply.tool_calls:
            if said is not None:  # answered in text instead of calling final_answer: accept it
                self._add(turn, "answer", tool=FINAL, arguments=said, summary=_brief(said),
                          thought=reply.thinking, content=reply.content,
                          model_seconds=model_seconds)
                return said
            self._add(turn, "reply", thought=reply.thinking, content=reply.content,
                      error="no tool call", model_seconds=model_seconds)
            messages.append(Message("user", prompt.NO_TOOL))
            return None
        images: list[bytes] = []
        which: list[str] = []
        final: dict[str, Any] | None = None
        for i, call in enumerate(reply.tool_calls):
            t0 = self.clock()
            result, answer = self._run_call(call, last)
            extra = {"thought": reply.thinking, "content": reply.content,
                     "model_seconds": model_seconds} if i == 0 else {}
            self._add(turn, "answer" if answer is not None else ("error" if result.error
                                                                  else "tool"),
                      tool=call.name, arguments=_shown(call), summary=result.summary,
                      result=result.text, frames=result.frames, error=result.error,
                      seconds=self.clock() - t0, **extra)
            messages.append(Message("tool", result.text, tool_call_id=call.id, name=call.name))
            if answer is not None and final is None:
                final = answer
            if result.images:
                images += result.images
                which.append(result.summary)
        if final is not None:
            return final
        if said is not None:
            self.best = said
        if images:
            messages.append(Message("user", prompt.IMAGES.format(
                s="s" if len(images) > 1 else "", which="; ".join(which)), images=images))
        return None

    def _run_call(self, call: ToolCall, last: bool) -> tuple[ToolResult, dict[str, Any] | None]:
        try:
            args = check_arguments(call)
        except ToolFailure as err:
            return ToolResult.failed(str(err)), None
        if call.name == FINAL:
            try:
                answer = valid_answer(args)
            except InvalidAnswer as err:
                return ToolResult.failed(f"the answer is not valid: {err}"), None
            return ToolResult({"accepted": True}, _brief(answer)), answer
        if last:
            return ToolResult.failed("no turns left for tools: call final_answer"), None
        return self.toolbox.call(call.name, args), None

    # ---- the model call, retried -----------------------------------------------------------
    def _call(self, messages: list[Message], tools: list[Any], deadline: float) -> Reply | None:
        b = self.bounds
        attempt = 0
        while True:
            attempt += 1
            left = deadline - self.clock()
            if left <= 0:
                return None
            wait = min(b.call_timeout, left)
            try:
                return self.ask(messages, tools, wait)
            except Transient as err:
                # A call whose wait the overall budget clipped, failing once that budget is
                # spent, ran out of AGENT_TIMEOUT_SECONDS: say that, not the per-call timeout.
                if wait < b.call_timeout and self.clock() >= deadline - _SLACK:
                    return None
                if attempt > b.retries:
                    raise PipelineError(f"agent: {err} (gave up after {attempt} attempts)") \
                        from None
                self.sleep(min(8.0, b.backoff * 2 ** (attempt - 1), max(0.0, left)))

    # ---- bookkeeping ---------------------------------------------------------------------------
    def _stated(self, content: str) -> dict[str, Any] | None:
        if "{" not in content:
            return None
        try:
            return parse_answer(content)
        except InvalidAnswer:
            return None

    def _bound(self, which: str, turns: int) -> Outcome:
        b = self.bounds
        hit = (f"the agent used all {b.max_steps} steps (AGENT_MAX_STEPS)" if which == "steps"
               else f"the agent ran out of time ({b.timeout:g} s, AGENT_TIMEOUT_SECONDS)")
        if self.best is not None:
            return Outcome(self.best, which, f"{hit}; kept the answer the model last stated",
                           turns)
        return Outcome(None, which, f"{hit} without a final answer", turns)

    def _add(self, turn: int, kind: str, **values: Any) -> None:
        for key in ("seconds", "model_seconds"):
            if key in values:
                values[key] = round(float(values[key]), 3)
        self.on_step(self.record.add(turn, kind, **values))


def _shown(call: ToolCall) -> dict[str, Any] | str:
    return call.arguments if call.arguments is not None else call.raw


def _brief(answer: dict[str, Any]) -> str:
    return (f"brand {answer['brand']!r}, category {answer['category']!r}, confidence "
            f"{answer['confidence']:.2f}")
