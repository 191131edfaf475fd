"""Agent mode on an OpenAI-compatible server's tool calling (ids, JSON-text arguments, tool
messages answering each id, pictures in a user message after them), through the real runner."""

from __future__ import annotations

import json
from pathlib import Path

from adclf.config import Settings
from tests.fakes import FakeOpenAI
from tests.pipeline.agent.scripts import INVESTIGATION, Reporter, answer, raw_call, run_agent_job


def _settings(tmp_path: Path, fake: FakeOpenAI) -> Settings:
    return Settings(DATA_DIR=tmp_path / "data", DEFAULT_PROVIDER="openai",
                    OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="sk-agent-test",
                    PROVIDER_TIMEOUT=20.0, PROVIDER_RETRIES=0, ASR_ENABLED=False)


def test_scripted_investigation_on_the_openai_wire(agent_ad: Path, tmp_path: Path) -> None:
    with FakeOpenAI(script=list(INVESTIGATION), api_key="sk-agent-test") as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
        chats = fake.chat_requests()
    # Every request passed the server's checks (each tool_call_id answered, text-only tool
    # messages), else the job would have failed with its HTTP 400.
    assert [c.status for c in chats] == [200, 200, 200, 200]
    sent = chats[1].body["messages"]
    assistant = next(m for m in sent if m["role"] == "assistant")
    call = assistant["tool_calls"][0]
    assert call["type"] == "function" and json.loads(call["function"]["arguments"]) == {
        "start": 4.0, "end": 6.0}
    tool = next(m for m in sent if m["role"] == "tool")
    assert tool["tool_call_id"] == call["id"]
    assert "nike" in tool["content"].casefold()
    # The picture: a user message right after the look_at_frame result.
    sent = chats[2].body["messages"]
    kinds = [(m["role"], isinstance(m.get("content"), list)) for m in sent]
    assert kinds[-2:] == [("tool", False), ("user", True)]
    assert len(chats[2].images) == 1
    assert result.result_row()["brand"] == "Nike"
    assert [s["tool"] for s in result.explanation()["agent_steps"]] == [
        "read_text", "look_at_frame", "lookup_brand", "final_answer"]
    assert result.explanation()["agent_steps"][0]["thought"] == \
        "The end card should name the brand."


def test_unreadable_json_arguments_get_an_error_result(agent_ad: Path, tmp_path: Path) -> None:
    script = [raw_call("read_text", '{"start": 4, "end": '), raw_call("search_taxonomy", "[1]"),
              answer(category="Sportswear")]
    with FakeOpenAI(script=script) as fake:
        result = run_agent_job(_settings(tmp_path, fake), agent_ad, tmp_path / "job", Reporter())
        chats = fake.chat_requests()
    errors = [json.loads(r["content"])["error"] for r in chats[2].tool_results]
    assert "not valid JSON" in errors[0] and "start, end" in errors[0]
    assert "not a JSON object" in errors[1]
    steps = result.explanation()["agent_steps"]
    assert steps[0]["arguments"] == '{"start": 4, "end": '  # recorded as sent
    assert [s["kind"] for s in steps] == ["error", "error", "answer"]
    assert result.result_row()["category_id"] == "1063"
