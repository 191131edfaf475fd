"""A node's model actor on a real local Ray: the workers' stand-ins give what the models give
in-process, requests of several callers are batched together, and a call lost when the actor
dies is sent again and answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import ray

from adclf.config import Settings
from adclf.models.actor import ModelActor, model_actor_name
from adclf.models.client import ModelClient
from adclf.models.proxies import RemoteModels
from adclf.pipeline.types import Frame
from adclf.store.client import NAMESPACE
from tests.pipeline.speech import media

NODE = "models-test"


def _card(text: str, seed: int = 0) -> Frame:
    image = np.full((720, 1280, 3), 20 + seed, np.uint8)
    cv2.putText(image, text, (90, 380), cv2.FONT_HERSHEY_SIMPLEX, 3, (250, 250, 250), 6)
    return Frame(timestamp=float(seed), image=image, index=seed)


@pytest.fixture(scope="module")
def actor(ray_session: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # Batches of 4, and a 3 s window: a lone request waits in the batcher long enough for the
    # retry test to kill the actor under it, and 4 concurrent ones start a batch at once.
    settings = Settings(DATA_DIR=tmp_path_factory.mktemp("models"), MODEL_BATCH_MAX=4,
                        MODEL_BATCH_WAIT_MS=3000)
    handle = ray.remote(ModelActor).options(
        name=model_actor_name(NODE), namespace=NAMESPACE, max_restarts=-1, num_cpus=0,
        max_concurrency=1000).remote(NODE, settings, 2)
    assert ray.get(handle.ready.remote(), timeout=300) in (True, False)
    yield handle
    ray.kill(handle, no_restart=True)


@pytest.fixture()
def models(actor: Any) -> RemoteModels:
    return RemoteModels(ModelClient(NODE, timeout=300))


def test_ocr_through_the_actor_reads_what_the_local_engine_reads(models: RemoteModels) -> None:
    from adclf.pipeline.ocr.rapid import RapidOcrEngine

    frames = [_card("NIKE just do it", 1), _card("www.canon.com", 2)]
    remote = models.ocr_engine("rapidocr", "Fast")
    assert remote is not None
    local = RapidOcrEngine("Fast", 1)
    assert [ln.text for ln in remote.read(frames)] == [ln.text for ln in local.read(frames)]
    got = remote.read_frame(frames[0])
    assert [ln.text for ln in got] == ["NIKE just do it"]
    assert got[0].box == pytest.approx(local.read_frame(frames[0])[0].box, abs=2.0)
    # tesseract has no model to share: it stays in the worker
    assert models.ocr_engine("tesseract", "Fast") is None


def test_embeddings_and_visual_labels_match_the_local_models(models: RemoteModels) -> None:
    from adclf.pipeline.embedded.text_encoder import load_text_encoder
    from adclf.pipeline.embedded.vision import load_visual_classifier

    texts = ["fresh pizza delivered", "electric SUV", "running shoes"]
    remote = models.text_encoder().encode(texts)
    assert remote.shape == (3, 384)
    np.testing.assert_allclose(remote, load_text_encoder().encode(texts), atol=1e-5)
    frames = [_card("SALE", 3), _card("NEW", 4), _card("END", 5)]
    local_visual = load_visual_classifier()
    remote_visual = models.visual_classifier()
    assert local_visual is not None and remote_visual is not None
    remote_labels, local_labels = remote_visual.labels(frames), local_visual.labels(frames)
    assert [name for name, _ in remote_labels] == [name for name, _ in local_labels]
    # Same model, other process: the thread count may differ, which reorders float sums
    # (seen: 1.4e-6 relative), so the same tolerance as the embeddings, not approx's 1e-6.
    assert [p for _, p in remote_labels] == pytest.approx([p for _, p in local_labels],
                                                          abs=1e-5)


def test_a_cpu_actor_runs_the_embedded_models_on_onnx_without_torch(
        actor: Any, models: RemoteModels) -> None:
    models.text_encoder().encode(["warm"])
    assert models.visual_classifier() is not None
    device = ray.get(actor.device.remote())
    assert device["device"] == "cpu"
    assert device["runtimes"] == {"encoder": "onnx", "visual": "onnx", "torch_imported": "no"}
    # each call computes on one job's share of the actor's 2 cores, as a worker would
    from adclf.pipeline.cores import threads_per_job

    assert device["threads"] == 2
    assert device["compute_threads"] == threads_per_job(Settings(), 2)


def test_speech_is_forwarded_with_its_keywords(models: RemoteModels, tmp_path: Path) -> None:
    wav = media.speak("Open your world. Heineken.", tmp_path / "voice.wav", voice="en-us")
    speech = models.speech_recognizer()
    heard = " ".join(ln.text for ln in speech.transcribe(wav)).lower()
    assert "world" in heard, heard
    assert speech.transcribe(wav, language="de") == []  # a keyword reaches the model
    assert speech.languages == ("en", "fr")  # an attribute, read from the actor's recogniser
    assert speech.name.startswith("whisper")
    from adclf.pipeline.audio import read_wav

    # a method the protocol does not name goes through the generic forwarder
    lines = speech.transcribe_array(read_wav(wav), offset=10.0)
    assert lines and lines[0].start >= 10.0
    assert speech.detect_language(read_wav(wav))["en"] > 0.5  # Whisper base, in the actor


def test_logo_matcher_answers_like_the_local_one(models: RemoteModels) -> None:
    from adclf.pipeline.evidence_models import get_logo_matcher

    frame = _card("hello", 6)
    try:
        local = get_logo_matcher(Settings()).detect([frame])
    except RuntimeError as exc:
        with pytest.raises(RuntimeError, match=str(exc)[:20]):
            models.logo_matcher()
        return
    assert models.logo_matcher().detect([frame]) == local


def test_frames_of_concurrent_callers_are_batched_across_the_idle_slots(
        actor: Any, models: RemoteModels) -> None:
    stats = ray.get(actor.stats.remote())
    assert stats["batch"]["parallel"] == 2  # 2 cores, one job's share (1 thread) per batch
    before = stats["ocr"]["sizes"]
    engine = models.ocr_engine("rapidocr", "Fast")
    assert engine is not None
    assert engine.frames_at_once == 2  # a job sends the actor two frames at a time
    words = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda i: engine.read([_card(words[i], 10 + i)]), range(4)))
    assert [[ln.text for ln in lines] for lines in got] == [[w] for w in words]
    # the 3 s window is far longer than 4 calls take to arrive: the 4 frames were batched,
    # shared between the two idle slots (two batches of 2), not run one by one
    after = ray.get(actor.stats.remote())["ocr"]["sizes"]
    grown = {size: n - before.get(size, 0) for size, n in after.items()
             if n != before.get(size, 0)}
    assert grown == {2: 2}, (before, after)


def test_one_jobs_frames_are_read_each_in_order(models: RemoteModels) -> None:
    engine = models.ocr_engine("rapidocr", "Fast")
    assert engine is not None
    frames = [_card(w, 20 + i) for i, w in enumerate(["ECHO", "FOXTROT", "GOLF"])]
    assert [[ln.text for ln in lines] for lines in engine.read_each(frames)] == \
        [["ECHO"], ["FOXTROT"], ["GOLF"]]


def test_a_call_lost_when_the_actor_dies_is_retried_and_answered(actor: Any) -> None:
    client = ModelClient(NODE, timeout=300)
    engine = RemoteModels(client).ocr_engine("rapidocr", "Fast")
    assert engine is not None
    old_pid = ray.get(actor.stats.remote())["pid"]
    result: dict[str, Any] = {}

    def read() -> None:
        result["lines"] = engine.read([_card("VOLVO", 20)])

    thread = threading.Thread(target=read)
    thread.start()
    deadline = time.monotonic() + 60
    # the request sits in the batch window: kill the actor under it
    while ray.get(actor.stats.remote())["ocr"]["queued"] < 1:
        assert time.monotonic() < deadline, "the request never reached the batcher"
    ray.kill(actor, no_restart=False)
    thread.join(300)
    assert not thread.is_alive()
    assert [ln.text for ln in result["lines"]] == ["VOLVO"]
    assert client.retries >= 1
    assert ray.get(actor.stats.remote())["pid"] != old_pid
