"""An agent job's result: the pipeline's result plus the agent's steps and how it ended, in the
explanation (`agent_steps`, `agent`) and in `agent_steps.json` among the artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from adclf.pipeline import artifacts
from adclf.pipeline.types import PipelineResult

STEPS_FILE = artifacts.AGENT_STEPS_FILE


@dataclass
class AgentResult(PipelineResult):
    agent_steps: list[dict[str, Any]] = field(default_factory=list)
    agent: dict[str, Any] = field(default_factory=dict)  # provider, model, bounds, stop, reason

    @classmethod
    def of(cls, result: PipelineResult, steps: list[dict[str, Any]],
           agent: dict[str, Any]) -> AgentResult:
        values = {f.name: getattr(result, f.name) for f in fields(PipelineResult)}
        return cls(**values, agent_steps=steps, agent=agent)

    def explanation(self) -> dict[str, Any]:
        return {**super().explanation(), "agent": self.agent, "agent_steps": self.agent_steps}


def write_steps(work_dir: Path, steps: list[dict[str, Any]], agent: dict[str, Any]) -> None:
    """Written after every step, so a failed or cancelled job keeps the record of its work."""
    artifacts.write_json(work_dir / STEPS_FILE, {"agent": agent, "steps": steps})
