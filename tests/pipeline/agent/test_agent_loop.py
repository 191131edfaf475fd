"""The loop's time bound on a fake clock: which reason a job gets when its budget runs out."""

from __future__ import annotations

from typing import Any, cast

import pytest

from adclf.errors import PipelineError
from adclf.pipeline.agent.loop import AgentLoop, Bounds
from adclf.pipeline.agent.steps import Record
from adclf.pipeline.agent.tools import Toolbox
from adclf.pipeline.providers.failures import Transient


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _loop(clock: Clock, ask: Any, *, timeout: float, call_timeout: float,
          retries: int = 0) -> AgentLoop:
    bounds = Bounds(max_steps=4, timeout=timeout, call_timeout=call_timeout, retries=retries)
    return AgentLoop(ask, cast(Toolbox, None), Record(), bounds, clock=clock,
                     sleep=lambda s: setattr(clock, "now", clock.now + s))


def test_a_call_clipped_by_the_budget_that_times_out_is_the_time_bound() -> None:
    clock = Clock()
    waits: list[float] = []

    def ask(messages: Any, tools: Any, wait: float) -> Any:
        waits.append(wait)
        clock.now += wait  # the server never answers: the socket waits the whole time
        raise Transient(f"did not answer within {wait:g} s")

    outcome = _loop(clock, ask, timeout=1.5, call_timeout=60, retries=0).run("ad")
    assert waits == [1.5]  # the call was given only what the budget left
    assert outcome.stop == "time" and outcome.answer is None
    assert "ran out of time" in outcome.reason and "AGENT_TIMEOUT_SECONDS" in outcome.reason


def test_a_server_failing_fast_inside_a_clipped_call_is_its_own_failure() -> None:
    clock = Clock()

    def ask(messages: Any, tools: Any, wait: float) -> Any:
        clock.now += 0.01  # refused at once: the budget is far from spent
        raise Transient("connection refused")

    with pytest.raises(PipelineError) as err:
        _loop(clock, ask, timeout=1.5, call_timeout=60, retries=0).run("ad")
    assert "connection refused" in str(err.value) and "ran out of time" not in str(err.value)


def test_a_per_call_timeout_shorter_than_the_budget_stays_a_call_failure() -> None:
    clock = Clock()

    def ask(messages: Any, tools: Any, wait: float) -> Any:
        clock.now += wait
        raise Transient(f"did not answer within {wait:g} s")

    with pytest.raises(PipelineError) as err:
        _loop(clock, ask, timeout=100, call_timeout=2, retries=1).run("ad")
    assert "did not answer within 2 s" in str(err.value) and "gave up after 2" in str(err.value)
