"""The tools an agent may call: their specs (name, description, JSON schema, as both wires take
them), the checking of a call's arguments against them, and the dispatch to the evidence and
knowledge tools. A call that is malformed (unknown tool, unreadable or missing arguments, wrong
types, a time outside the video) gets an error result the model can read and recover from."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from adclf.pipeline.agent import knowledge
from adclf.pipeline.agent.evidence import VideoTools
from adclf.pipeline.agent.results import ToolFailure, ToolResult
from adclf.pipeline.context import JobContext
from adclf.pipeline.providers.tool_chat import ToolCall, ToolSpec

FINAL = "final_answer"


def _obj(props: dict[str, dict[str, Any]], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required}


_SECONDS = {"type": "number", "description": "seconds from the start of the video"}
_RANGE = _obj({"start": _SECONDS, "end": _SECONDS}, ["start", "end"])

SPECS: list[ToolSpec] = [
    ToolSpec("read_text", "Read the on-screen text (OCR) of frames between start and end "
             "seconds. Returns the text lines with the time they first appear.", _RANGE),
    ToolSpec("transcribe_speech", "The voice-over transcribed by speech recognition between "
             "start and end seconds.", _RANGE),
    ToolSpec("look_at_frame", "Look at the video frame at a time: the picture is attached "
             "after the tool result.", _obj({"time": _SECONDS}, ["time"])),
    ToolSpec("find_logos", "Brand logos recognised in frames between start and end seconds.",
             _RANGE),
    ToolSpec("search_taxonomy", "Advertising categories (IAB Ad Product taxonomy) near a "
             "phrase describing the product, best first, with ids and paths.",
             _obj({"phrase": {"type": "string", "description": "e.g. 'running shoes'"}},
                  ["phrase"])),
    ToolSpec("lookup_brand", "Look a brand up in the brand catalogue by name or web address: "
             "its official name, aliases, web domains and usual category.",
             _obj({"name": {"type": "string", "description": "a brand name or a web address"}},
                  ["name"])),
    ToolSpec(FINAL, "Give the final answer and end the investigation.", _obj({
        "brand": {"type": "string", "description": "the advertiser, as written in the ad"},
        "category": {"type": "string",
                     "description": "the product category (a taxonomy name or id is best)"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reasoning": {"type": "string", "description": "the evidence, in a sentence or two"},
    }, ["brand", "category", "confidence", "reasoning"])),
]
BY_NAME = {spec.name: spec for spec in SPECS}


def check_arguments(call: ToolCall) -> dict[str, Any]:
    """The call's arguments, checked against its tool's schema; ToolFailure says what is wrong."""
    spec = BY_NAME.get(call.name)
    if spec is None:
        raise ToolFailure(f"there is no tool {call.name!r}; the tools are: "
                          f"{', '.join(BY_NAME)}")
    if call.arguments is None:
        raise ToolFailure(f"{call.error or 'the arguments could not be read'}; send a JSON "
                          f"object with {', '.join(spec.parameters['required'])}")
    args = dict(call.arguments)
    props: dict[str, Any] = spec.parameters["properties"]
    missing = [k for k in spec.parameters["required"] if k not in args]
    if missing:
        raise ToolFailure(f"{call.name} needs {', '.join(missing)}")
    unknown = [k for k in args if k not in props]
    if unknown:
        raise ToolFailure(f"{call.name} takes no {', '.join(unknown)}; it takes "
                          f"{', '.join(props)}")
    for key, value in args.items():
        want = props[key]["type"]
        if want == "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not math.isfinite(value):
                raise ToolFailure(f"{key} must be a number, not {value!r}")
            args[key] = float(value)
            lo, hi = props[key].get("minimum"), props[key].get("maximum")
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise ToolFailure(f"{key} must be between {lo} and {hi}, not {value!r}")
        elif want == "string" and not isinstance(value, str):
            raise ToolFailure(f"{key} must be a string, not {value!r}")
    return args


class Toolbox:
    def __init__(self, ctx: JobContext, video: VideoTools) -> None:
        self.ctx = ctx
        self.video = video
        self._run: dict[str, Callable[[dict[str, Any]], ToolResult]] = {
            "read_text": lambda a: video.read_text(*self._range(a)),
            "transcribe_speech": lambda a: video.transcribe(*self._range(a)),
            "look_at_frame": lambda a: video.look_at_frame(self._time(a["time"])),
            "find_logos": lambda a: video.find_logos(*self._range(a)),
            "search_taxonomy": lambda a: knowledge.search_taxonomy(ctx, a["phrase"]),
            "lookup_brand": lambda a: knowledge.lookup_brand(ctx, a["name"]),
        }

    def _time(self, t: float) -> float:
        duration = self.ctx.duration
        if t < 0 or t > duration + 0.5:
            raise ToolFailure(f"{t:g} s is outside the video (0 to {duration:.2f} s)")
        return min(t, duration)

    def _range(self, args: dict[str, Any]) -> tuple[float, float]:
        start, end = self._time(args["start"]), self._time(args["end"])
        if end < start:
            raise ToolFailure(f"end ({end:g} s) is before start ({start:g} s)")
        return start, end

    def call(self, name: str, args: dict[str, Any]) -> ToolResult:
        """Run an evidence or knowledge tool with checked arguments (not final_answer)."""
        try:
            return self._run[name](args)
        except ToolFailure as err:
            return ToolResult.failed(str(err))
