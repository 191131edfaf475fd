"""The record of an agent's work, one entry per tool call (or per reply without one): which
tool, with which arguments, what it found, the model's own words and thought at that turn, and
the frames it looked at. It goes into the explanation as `agent_steps` and into
`agent_steps.json` among the job's artifacts; the dashboard draws it as a timeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TEXT_LIMIT = 2000  # characters of a thought or content kept per step
RESULT_LIMIT = 4000  # characters of a tool's JSON result kept per step


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " [...]"


@dataclass
class Step:
    index: int  # 1-based order in the job
    turn: int  # which model call asked for it (several calls may share a turn)
    kind: str  # tool | answer | reply | error
    tool: str = ""
    arguments: dict[str, Any] | str | None = None  # as sent (text when unreadable)
    summary: str = ""
    result: str = ""  # the JSON text the model read, cut
    thought: str = ""  # the model's thinking / reasoning at this turn
    content: str = ""  # the model's visible text at this turn
    frames: list[str] = field(default_factory=list)  # artifact names of frames used
    error: str = ""
    seconds: float = 0.0  # the tool's run time (the model's own time is per turn)
    model_seconds: float = 0.0  # this turn's model call, on the turn's first step

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Record:
    steps: list[Step] = field(default_factory=list)

    def add(self, turn: int, kind: str, **values: Any) -> Step:
        for key, limit in (("thought", TEXT_LIMIT), ("content", TEXT_LIMIT),
                           ("result", RESULT_LIMIT)):
            if isinstance(values.get(key), str):
                values[key] = cut(values[key], limit)
        step = Step(index=len(self.steps) + 1, turn=turn, kind=kind, **values)
        self.steps.append(step)
        return step

    def dicts(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.steps]
