"""Agent mode on Ollama's tool calling, through the real runner on a real video: the fake Ollama
plays a scripted model; the tools run the real OCR, frame reader, catalogue and mapper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adclf.config import Settings
from adclf.errors import PipelineError
from adclf.pipeline.artifacts import artifact_index
from tests.fakes import FakeOllama
from tests.pipeline.agent.scripts import (
    INVESTIGATION,
    Reporter,
    answer,
    call,
    raw_call,
    run_agent_job,
)

ALL_TOOLS = {"read_text", "transcribe_speech", "look_at_frame", "find_logos", "search_taxonomy",
             "lookup_brand", "final_answer"}


def _settings(tmp_path: Path, fake: FakeOllama, **values: object) -> Settings:
    base: dict[str, object] = {"DATA_DIR": tmp_path / "data", "DEFAULT_PROVIDER": "ollama",
                               "OLLAMA_HOST": fake.host, "PROVIDER_TIMEOUT": 20.0,
                               "PROVIDER_RETRIES": 0, "ASR_ENABLED": False}
    base.update(values)
    return Settings(**base)  # type: ignore[arg-type]


def test_scripted_investigation_runs_real_tools_in_order(agent_ad: Path, tmp_path: Path) -> None:
    with FakeOllama(script=list(INVESTIGATION)) as fake:
        reporter = Reporter()
        work = tmp_path / "job"
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, work, reporter)
        chats = fake.chat_requests()

    assert len(chats) == 4
    assert set(chats[0].tools) == ALL_TOOLS
    # The first tool result is the real OCR of the end card (4-6 s), not the product scene.
    first = chats[1].tool_results
    assert [r["tool_name"] for r in first] == ["read_text"]
    read = json.loads(first[0]["content"])
    texts = " ".join(line["text"] for line in read["lines"]).casefold()
    assert "nike" in texts and "running" not in texts
    assert all(4.0 <= t <= 6.0 for t in read["frames_read"])
    # The frame came as a JPEG in a user message after the tool result.
    assert [r["tool_name"] for r in chats[2].tool_results] == ["read_text", "look_at_frame"]
    assert len(chats[2].images) == 1 and chats[2].images[0].format == "JPEG"
    brand = json.loads(chats[3].tool_results[-1]["content"])
    assert brand["found"] and brand["name"] == "Nike" and "nike.com" in brand["domains"]

    # The answer is mapped like the pipeline's.
    row = result.result_row()
    assert row["brand"] == "Nike" and row["category_id"] == "1063"
    assert row["provider"] == "ollama"

    exp = result.explanation()
    steps = exp["agent_steps"]
    assert [s["tool"] for s in steps] == ["read_text", "look_at_frame", "lookup_brand",
                                          "final_answer"]
    assert [s["turn"] for s in steps] == [1, 2, 3, 4]
    assert [s["kind"] for s in steps] == ["tool", "tool", "tool", "answer"]
    assert steps[0]["arguments"] == {"start": 4.0, "end": 6.0}
    assert "nike" in steps[0]["summary"].casefold()
    assert steps[0]["thought"] == "The end card should name the brand."
    assert steps[1]["content"] == "Let me check the card itself."
    assert steps[1]["frames"] and (work / steps[1]["frames"][0]).is_file()
    assert exp["agent"]["stop"] == "answered" and exp["agent"]["max_steps"] == 8
    assert exp["attempts"][0]["type"] == "agent"

    # ... and in the artifacts.
    saved = json.loads((work / "agent_steps.json").read_text())
    assert [s["tool"] for s in saved["steps"]] == [s["tool"] for s in steps]
    assert "agent_steps.json" in artifact_index(result, work)["files"]
    assert json.loads((work / "explanation.json").read_text())["agent_steps"] == steps
    assert any("agent step 1 (turn 1): read_text" in e for e in reporter.events)


def test_the_step_bound_is_enforced(agent_ad: Path, tmp_path: Path) -> None:
    # A model that never stops reading.
    reader = FakeOllama(script=[call("read_text", start=0.0, end=1.0)])
    with reader as fake, pytest.raises(PipelineError) as err:
        run_agent_job(_settings(tmp_path, fake, AGENT_MAX_STEPS=3), agent_ad,
                      tmp_path / "job", Reporter())
    chats = fake.chat_requests()
    assert "all 3 steps" in str(err.value) and "without a final answer" in str(err.value)
    assert len(chats) == 3
    assert chats[2].tools == ["final_answer"]  # the last turn is offered the answer only
    assert "last turn" in chats[2].text
    saved = json.loads((tmp_path / "job" / "agent_steps.json").read_text())
    assert saved["agent"]["stop"] == "steps"
    assert [s["turn"] for s in saved["steps"]] == [1, 2, 3]
    assert "no turns left" in saved["steps"][-1]["error"]


def test_the_bound_keeps_the_answer_the_model_stated(agent_ad: Path, tmp_path: Path) -> None:
    stated = json.dumps({"brand": "Nike", "category": "Sportswear", "confidence": 0.6,
                         "reasoning": "probably Nike, checking"})
    script = [{"content": stated, **call("read_text", start=4.0, end=6.0)},
              call("look_at_frame", time=5.5)]
    with FakeOllama(script=script) as fake:
        result = run_agent_job(_settings(tmp_path, fake, AGENT_MAX_STEPS=2), agent_ad,
                               tmp_path / "job", Reporter())
    agent = result.explanation()["agent"]
    assert agent["stop"] == "steps" and "kept the answer the model last stated" in agent["reason"]
    assert result.classification.brand == "Nike" and result.classification.confidence == 0.6


def test_malformed_calls_get_an_error_result_and_the_model_recovers(
    agent_ad: Path, tmp_path: Path
) -> None:
    script = [
        raw_call("read_text", {"start": "four", "end": 6}),
        raw_call("watch_video", {"start": 0}),
        raw_call("read_text", {"start": 7.5, "end": 1.0}),
        answer(confidence=1.4),  # out of the schema's range
        answer(confidence=0.85),
    ]
    with FakeOllama(script=script) as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
        chats = fake.chat_requests()
    errors = [json.loads(r["content"])["error"] for r in chats[4].tool_results]
    assert "start must be a number" in errors[0]
    assert "no tool 'watch_video'" in errors[1] and "read_text" in errors[1]
    assert "outside the video" in errors[2]
    assert "confidence must be between 0 and 1" in errors[3]
    steps = result.explanation()["agent_steps"]
    assert [s["kind"] for s in steps] == ["error", "error", "error", "error", "answer"]
    assert result.classification.confidence == 0.85
    assert result.result_row()["brand"] == "Nike"


def test_a_reply_without_a_tool_call_is_reminded(agent_ad: Path, tmp_path: Path) -> None:
    script = [{"content": "I think it is a shoe ad."}, answer()]
    with FakeOllama(script=script) as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
        chats = fake.chat_requests()
    assert "Call one of the tools" in chats[1].text
    assert [s["kind"] for s in result.explanation()["agent_steps"]] == ["reply", "answer"]


def test_the_time_bound_is_enforced(agent_ad: Path, tmp_path: Path) -> None:
    slow = FakeOllama(script=[call("search_taxonomy", phrase="running shoes")], delay=1.0)
    with slow as fake, pytest.raises(PipelineError) as err:
        run_agent_job(_settings(tmp_path, fake, AGENT_TIMEOUT_SECONDS=1.5), agent_ad,
                      tmp_path / "job", Reporter())
    assert "ran out of time" in str(err.value) and "AGENT_TIMEOUT_SECONDS" in str(err.value)


def test_the_embedded_provider_refuses_agent_mode(agent_ad: Path, tmp_path: Path) -> None:
    settings = Settings(DATA_DIR=tmp_path / "data", DEFAULT_PROVIDER="embedded")
    reporter = Reporter()
    with pytest.raises(PipelineError) as err:
        run_agent_job(settings, agent_ad, tmp_path / "job", reporter)
    assert "agent mode needs an LLM provider" in str(err.value)
    # never silently the pipeline: no frame was sampled, no OCR ran
    assert not (tmp_path / "job" / "frames").exists()
    assert all("OCR" not in e for e in reporter.events)


def test_speech_taxonomy_and_logo_tools(agent_ad: Path, tmp_path: Path) -> None:
    script = [
        {"tool_calls": [{"name": "transcribe_speech", "arguments": {"start": 0, "end": 6}},
                        {"name": "search_taxonomy", "arguments": {"phrase": "running shoes"}},
                        {"name": "find_logos", "arguments": {"start": 4, "end": 6}}]},
        answer(),
    ]
    with FakeOllama(script=script) as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
        chats = fake.chat_requests()
    speech, taxonomy, logos = (json.loads(r["content"]) for r in chats[1].tool_results)
    assert speech["lines"] == [] and "ASR_ENABLED=false" in speech["note"]
    assert taxonomy["candidates"] and all({"id", "name", "path", "score"} <= set(c)
                                          for c in taxonomy["candidates"])
    assert any("shoe" in c["path"].casefold() or "footwear" in c["path"].casefold()
               for c in taxonomy["candidates"])
    assert "logos" in logos or "error" in logos  # a missing gallery is said, not hidden
    steps = result.explanation()["agent_steps"]
    assert [(s["turn"], s["tool"]) for s in steps] == [
        (1, "transcribe_speech"), (1, "search_taxonomy"), (1, "find_logos"), (2, "final_answer")]


def test_an_agent_that_looks_at_nothing_still_leaves_the_end_card(agent_ad: Path,
                                                                  tmp_path: Path) -> None:
    # The job's poster (GET /jobs/{id}/video-poster) is its last frame: it must exist even when
    # the model answers without looking at the video.
    with FakeOllama(script=[answer()]) as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
    assert result.classification.brand == "Nike"
    frames = sorted((tmp_path / "job" / "frames").glob("*.jpg"))
    assert len(frames) == 1
    index = artifact_index(result, tmp_path / "job")
    assert index["frames"] and index["frames"][-1]["timestamp"] >= result.duration - 1.0
