"""Helpers for the agent tests: scripted model turns, a recording reporter, and an agent job run
through the real pipeline runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adclf.config import Settings
from adclf.domain import JobSettings, JobSpec, Stage
from adclf.pipeline.runner import Pipeline
from adclf.pipeline.types import PipelineResult


@dataclass
class Reporter:
    stages: list[tuple[Stage, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None:
        self.stages.append((stage, detail))

    def event(self, message: str) -> None:
        self.events.append(message)


def call(tool: str, /, **arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"name": tool, "arguments": arguments}]}


def raw_call(name: str, arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def answer(brand: str = "Nike", category: str = "Sportswear", confidence: float = 0.9,
           reasoning: str = "the end card reads NIKE and nike.com") -> dict[str, Any]:
    return call("final_answer", brand=brand, category=category, confidence=confidence,
                reasoning=reasoning)


# The investigation the tests script: on-screen text of the end card, a look at it, the brand
# in the catalogue, the answer.
INVESTIGATION = [
    {"content": "", "thinking": "The end card should name the brand.", **call(
        "read_text", start=4.0, end=6.0)},
    {"content": "Let me check the card itself.", **call("look_at_frame", time=5.0)},
    call("lookup_brand", name="nike.com"),
    answer(),
]


def agent_spec(video: Path, **job: Any) -> JobSpec:
    return JobSpec(job_id="node-a-agent", node="node-a", mode="agent", source_kind="file",
                   source=str(video), settings=JobSettings(**job))


def run_agent_job(settings: Settings, video: Path, work_dir: Path, reporter: Reporter,
                  **job: Any) -> PipelineResult:
    return Pipeline(settings).run(agent_spec(video, **job), work_dir, reporter)
