"""The speech stage: the whole audio track is transcribed once per job, in a background thread
that runs while frames are sampled and OCR'd (Whisper releases the GIL while it computes), so an
ad's voice-over costs little latency. No audio, silence, music only or an unreadable audio
stream give a note, never an error."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from adclf.pipeline import evidence_models
from adclf.pipeline.types import SpeechLine

log = logging.getLogger(__name__)
WAV_NAME = "audio.wav"


@dataclass
class Heard:
    lines: list[SpeechLine] = field(default_factory=list)
    note: str = ""  # why there are no lines
    audio_seconds: float = 0.0  # length of the audio track
    timings: dict[str, float] = field(default_factory=dict)  # audio (extract), asr (transcribe)


class Listener:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[Heard] | None = None
        self._skipped: Heard | None = None

    def start(self, video: Path, work_dir: Path, skip: str = "") -> Listener:
        """skip: a reason not to listen at all (express mode, ASR disabled)."""
        if skip:
            self._skipped = Heard(note=skip)
            return self
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="adclf-asr")
        self._future = self._pool.submit(_listen, video, work_dir / WAV_NAME, self.threads)
        return self

    def result(self) -> Heard:
        if self._skipped is not None:
            return self._skipped
        assert self._future is not None and self._pool is not None
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False)

    def abandon(self) -> None:
        """The job ended early (cancelled, failed): let the thread finish on its own."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _listen(video: Path, wav: Path, threads: int) -> Heard:
    from adclf.pipeline.audio import extract_audio

    heard = Heard()
    try:
        t0 = time.perf_counter()
        info = extract_audio(video, wav)
        heard.timings["audio"] = round(time.perf_counter() - t0, 4)
        heard.audio_seconds = info.duration
        if info.note or not info.transcribable:
            heard.note = info.note or "no speech in the audio track"
            return heard
        t0 = time.perf_counter()
        heard.lines = evidence_models.get_speech_recognizer(threads).transcribe(wav)
        heard.timings["asr"] = round(time.perf_counter() - t0, 4)
        if not heard.lines:
            heard.note = "no speech recognised"
    except Exception as exc:  # a broken model or file must not fail the job: note it
        log.exception("speech recognition failed")
        heard.note = f"speech recognition failed: {type(exc).__name__}: {exc}"[:200]
    finally:
        wav.unlink(missing_ok=True)
    return heard
