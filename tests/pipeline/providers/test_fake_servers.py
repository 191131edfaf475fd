"""The fakes themselves must be able to say no: otherwise the provider tests prove nothing."""

from __future__ import annotations

import base64
import io
import json

import httpx
import numpy as np
import ollama
import openai
import pytest
from PIL import Image

from tests.fakes import FakeOllama, FakeOpenAI


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((size[1], size[0], 3), 128, dtype=np.uint8)).save(buf, format=fmt)
    return buf.getvalue()


def _chat(fake: FakeOllama, images: list[bytes], text: str = "ACME") -> ollama.ChatResponse:
    with ollama.Client(host=fake.host, timeout=5) as client:
        return client.chat(
            model="qwen3-vl:8b-instruct",
            messages=[{"role": "user", "content": text, "images": images}],
            stream=False,
        )


@pytest.mark.parametrize(
    ("image", "reason"),
    [(_image("PNG", (64, 64)), "expected JPEG"), (_image("JPEG", (1280, 720)), "over 768")],
)
def test_fake_ollama_refuses_bad_images(image: bytes, reason: str) -> None:
    with FakeOllama() as fake, pytest.raises(ollama.ResponseError, match=reason) as info:
        _chat(fake, [image])
    assert info.value.status_code == 400


def test_fake_ollama_answers_with_the_brand_found_in_the_text() -> None:
    with FakeOllama(brands={"ACME": "Running Shoes"}) as fake:
        hit = json.loads(_chat(fake, [_image("JPEG", (768, 432))], "end card: acme").message
                         .content or "")
        miss = json.loads(_chat(fake, [], "no brand here").message.content or "")
        assert fake.chat_requests()[0].images[0].width == 768
    assert (hit["brand"], hit["category"]) == ("ACME", "Running Shoes")
    assert "saw 1 images" in hit["reasoning"]
    assert (miss["brand"], miss["category"]) == ("", "Unknown")


def test_fake_ollama_streams_ndjson_and_serves_version() -> None:
    with FakeOllama() as fake, ollama.Client(host=fake.host, timeout=5) as client:
        parts = list(client.chat(model="qwen3-vl:8b-instruct",
                                 messages=[{"role": "user", "content": "ACME"}], stream=True))
        assert parts[-1].done and not parts[0].done
        assert json.loads("".join(p.message.content or "" for p in parts))["brand"] == "ACME"
        assert httpx.get(f"{fake.url}/api/version").json()["version"]
        assert httpx.get(fake.url).text == "Ollama is running"


def test_fake_openai_refuses_non_jpeg_data_urls() -> None:
    png = base64.b64encode(_image("PNG", (32, 32))).decode()
    with FakeOpenAI() as fake, openai.OpenAI(base_url=fake.base_url, api_key="x",
                                             max_retries=0) as client:
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(
                model="qwen3-vl-8b-instruct",
                messages=[{"role": "user", "content": [
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png}"}}
                ]}],
            )
        assert fake.chat_requests()[0].status == 400


def test_fake_openai_error_objects_and_stream() -> None:
    with FakeOpenAI() as fake, openai.OpenAI(base_url=fake.base_url, api_key="x",
                                             max_retries=0) as client:
        with pytest.raises(openai.NotFoundError) as info:
            client.chat.completions.create(model="nope",
                                           messages=[{"role": "user", "content": "hi"}])
        assert info.value.body == {"message": "The model `nope` does not exist.",
                                   "type": "invalid_request_error", "param": None,
                                   "code": "model_not_found"}
        stream = client.chat.completions.create(
            model="qwen3-vl-8b-instruct", messages=[{"role": "user", "content": "ACME"}],
            stream=True,
        )
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
        assert json.loads(text)["brand"] == "ACME"


def test_fake_stops_promptly_with_a_delayed_call_in_flight() -> None:
    fake = FakeOpenAI(delay=30.0).start()
    with pytest.raises(httpx.TimeoutException):
        httpx.post(f"{fake.base_url}/chat/completions", timeout=0.2,
                   json={"model": "qwen3-vl-8b-instruct", "messages": []})
    fake.stop()  # must not wait for the 30 s sleep
