"""Local stand-ins for model servers, speaking their real wire formats on 127.0.0.1.

    with FakeOllama(brands={"Renault": "Cars"}) as fake:
        settings = Settings(OLLAMA_HOST=fake.host)
        ...
        assert fake.chat_requests()[0].images[0].format == "JPEG"

`fake.behaviour` (a `Behaviour`) can be changed at any time: failures, prose answers, delays,
installed models, required API key. `fake.requests` records every request (`Recorded`).
Pytest fixtures `fake_ollama` / `fake_openai` live in `tests.fakes.fixtures`."""

from tests.fakes._answers import ImageInfo
from tests.fakes._server import Behaviour, Recorded
from tests.fakes.fake_ollama import FakeOllama
from tests.fakes.fake_openai import FakeOpenAI

__all__ = ["Behaviour", "FakeOllama", "FakeOpenAI", "ImageInfo", "Recorded"]
