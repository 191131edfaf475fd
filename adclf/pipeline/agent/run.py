"""An agent job from the runner's side: open the job's LLM provider as a tool chat, let the loop
investigate the video with the tools, then keep its answer as the job's single attempt and map
it to the taxonomy like any other answer (result.finish). No LLM provider, no agent: the job
fails saying so, it never falls back to the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from adclf.domain import STAGE_PROGRESS, Stage
from adclf.errors import PipelineError
from adclf.pipeline import artifacts, explain
from adclf.pipeline.agent.evidence import VideoTools
from adclf.pipeline.agent.footage import Footage
from adclf.pipeline.agent.loop import AgentLoop, Bounds, Outcome
from adclf.pipeline.agent.outcome import AgentResult, write_steps
from adclf.pipeline.agent.prompt import opening
from adclf.pipeline.agent.steps import Record, Step
from adclf.pipeline.agent.tools import Toolbox
from adclf.pipeline.context import JobContext
from adclf.pipeline.providers.tool_chat import Message, Reply, ToolAsk, ToolSpec, get_tool_chat
from adclf.pipeline.rescue import Attempts
from adclf.pipeline.result import finish
from adclf.pipeline.types import Attempt, Classification, PipelineResult

_SPAN = (STAGE_PROGRESS[Stage.CLASSIFY], STAGE_PROGRESS[Stage.MAP] - 1)


def run_agent(ctx: JobContext, heard: Callable[[], None], threads: int,
              started: float) -> PipelineResult:
    p = ctx.progress
    chat = get_tool_chat(ctx.settings, ctx.job)  # PipelineError for the embedded provider
    p.stage(Stage.FRAME_EXTRACT, "agent: opening the video")
    with ctx.timer("frames"):
        footage = Footage(ctx, threads)
        # The end card is kept whatever the agent looks at: every finished job has a poster
        # (GET /jobs/{id}/video-poster) and a frame on its page.
        footage.frames([footage.last_time]) or footage.frames([footage.last_time], keep_black=True)
    video = VideoTools(ctx, footage, heard)
    s = ctx.settings
    bounds = Bounds(max_steps=s.AGENT_MAX_STEPS, timeout=s.AGENT_TIMEOUT_SECONDS,
                    call_timeout=s.PROVIDER_TIMEOUT, retries=s.PROVIDER_RETRIES)
    agent: dict[str, Any] = {"provider": chat.provider, "model": chat.model,
                             "max_steps": bounds.max_steps, "timeout_seconds": bounds.timeout}
    record = Record()

    def on_step(step: Step) -> None:
        what = step.tool or step.kind
        p.event(f"agent step {step.index} (turn {step.turn}): {what}"
                + (f" {_args(step.arguments)}" if step.arguments else "")
                + (f" -> {step.summary}" if step.summary else "")
                + (f" [{step.error}]" if step.error and not step.summary else ""))
        write_steps(ctx.work_dir, record.dicts(), agent)

    def on_turn(turn: int) -> None:
        at = _SPAN[0] + (_SPAN[1] - _SPAN[0]) * (turn - 1) / bounds.max_steps
        p.stage(Stage.CLASSIFY, f"agent: turn {turn}/{bounds.max_steps}, asking {chat.provider}",
                at)

    p.stage(Stage.CLASSIFY, f"agent: {chat.provider} model {chat.model!r} investigates "
                            f"(up to {bounds.max_steps} turns, {bounds.timeout:g} s)")
    with chat.session() as ask:
        loop = AgentLoop(_timed(ctx, ask), Toolbox(ctx, video), record, bounds,
                         on_step=on_step, on_turn=on_turn)
        outcome = loop.run(opening(ctx.duration, ctx.job.categories))
    agent.update(stop=outcome.stop, reason=outcome.reason, turns=outcome.turns,
                 steps=len(record.steps))
    write_steps(ctx.work_dir, record.dicts(), agent)
    if outcome.answer is None:
        raise PipelineError(f"agent mode: {outcome.reason}")
    p.event(f"agent: {outcome.reason}")
    video.listen()  # the transcript belongs in the result whether or not the agent asked
    return _result(ctx, video, outcome, chat.provider, chat.model, record, agent, started)


def _result(ctx: JobContext, video: VideoTools, outcome: Outcome, provider: str, model: str,
            record: Record, agent: dict[str, Any], started: float) -> AgentResult:
    answer = outcome.answer
    assert answer is not None
    evidence = video.gathered.evidence(ctx)
    classification = Classification(
        brand=answer["brand"], category=answer["category"], confidence=answer["confidence"],
        reasoning=answer["reasoning"], provider=provider, model=model,
        raw={"agent": dict(agent)})
    attempt = Attempt(
        type="agent", trigger=f"mode agent: {len(record.steps)} steps in {outcome.turns} turns",
        frames=[round(f.timestamp, 3) for f in evidence.frames],
        ocr_excerpt=evidence.ocr_text[:explain.EXCERPT_CHARS],
        result=explain.summary(classification), accepted=True, reason=outcome.reason)
    attempts = Attempts()
    attempts.add(attempt, classification, evidence)
    result = AgentResult.of(finish(ctx, attempts, started), record.dicts(), agent)
    # finish wrote the plain explanation; this one adds the agent's steps
    artifacts.write_result_files(result, ctx.work_dir)
    return result


def _timed(ctx: JobContext, ask: ToolAsk) -> ToolAsk:
    def timed(messages: list[Message], tools: list[ToolSpec], timeout: float) -> Reply:
        with ctx.timer("classify"):
            return ask(messages, tools, timeout)

    return timed


def _args(arguments: object) -> str:
    if isinstance(arguments, dict):
        return ", ".join(f"{k}={v!r}" for k, v in arguments.items())[:160]
    return repr(arguments)[:160]
