"""The ad's sound track as 16 kHz mono 16-bit WAV for speech recognition, plus a cheap look at it
(level, rough voice activity) so silent or missing audio is explained instead of transcribed.

Decoded in-process with PyAV (no ffmpeg process start-up, ~30 ms for a 30 s AAC track). A broken
audio stream must never fail a job: undecodable packets are skipped, and if nothing decodes the
result says why in `note`. Only a missing video file raises.
"""

from __future__ import annotations

import logging
import math
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
SILENT_PEAK_DB = -50.0  # quieter than this everywhere = nothing to transcribe
_VAD_FRAME = 480  # 30 ms
_MAX_ERRORS_IN_ROW = 200  # undecodable packets in a row (~4 s of AAC) before giving up


@dataclass
class AudioInfo:
    has_audio: bool  # a decodable audio stream with some samples
    duration: float  # seconds written to the WAV
    peak_db: float  # dBFS, -inf for digital silence
    rms_db: float
    speech_seconds: float  # rough energy-based voice-activity estimate (music counts too)
    note: str = ""  # why there is nothing to transcribe; "" when there is

    @property
    def transcribable(self) -> bool:
        return self.has_audio and not self.note


def _db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 0 else float("-inf")


def _active_seconds(pcm: np.ndarray) -> float:
    """Seconds of 30 ms frames clearly above the track's own noise floor. Crude on purpose: it
    only has to tell "some sound worth decoding" from "hum and silence"."""
    n = len(pcm) // _VAD_FRAME
    if n == 0:
        return 0.0
    frames = pcm[: n * _VAD_FRAME].astype(np.float32).reshape(n, _VAD_FRAME) / 32768.0
    energy_db = 10.0 * np.log10(np.mean(frames * frames, axis=1) + 1e-12)
    floor = float(np.percentile(energy_db, 10))
    active = (energy_db > max(floor + 6.0, -50.0)).sum()
    return float(active) * _VAD_FRAME / SAMPLE_RATE


def _decode(video: Path, start: float | None, end: float | None) -> tuple[np.ndarray, str]:
    """All decodable samples of the first audio stream as int16 mono 16 kHz, and a note when
    there is nothing (no stream, unreadable stream)."""
    try:
        container = av.open(str(video))
    except (av.FFmpegError, OSError, ValueError) as e:
        return np.zeros(0, np.int16), f"unreadable audio stream: {_short(e)}"
    chunks: list[np.ndarray] = []
    errors = in_row = good = 0
    last_error = ""
    first_t: float | None = None
    with container:
        if not container.streams.audio:
            return np.zeros(0, np.int16), "no audio track"
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        if start:
            try:
                container.seek(int(start / float(stream.time_base or 1)), stream=stream)
            except (av.FFmpegError, OSError, ValueError) as e:
                last_error = _short(e)
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except (av.FFmpegError, ValueError) as e:
                    errors += 1
                    in_row += 1
                    last_error = _short(e)
                    if in_row > _MAX_ERRORS_IN_ROW:
                        break
                    continue
                in_row = 0
                good += 1
                for frame in frames:
                    t = frame.time
                    if t is not None and start and t + frame.samples / frame.rate < start:
                        continue
                    if end is not None and t is not None and t > end:
                        break
                    if first_t is None:
                        first_t = t if t is not None else 0.0
                    for out in resampler.resample(frame):
                        chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except (av.FFmpegError, OSError, ValueError) as e:
            # a demuxer giving up half-way still leaves what was decoded so far
            last_error = _short(e)
    pcm = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    if start or end is not None:
        pcm = _trim_to_window(pcm, first_t or 0.0, start or 0.0, end)
    if pcm.size == 0:
        return pcm, f"unreadable audio stream: {last_error or 'no decodable samples'}"
    if errors > good:
        # mostly garbage: the few packets that decode are noise bursts, not the ad's sound
        return np.zeros(0, np.int16), (
            f"unreadable audio stream: {errors} of {errors + good} packets undecodable"
            f" ({last_error})"
        )
    if errors:
        log.info("audio of %s: skipped %d undecodable packets (%s)", video, errors, last_error)
    return pcm, ""


def _trim_to_window(pcm: np.ndarray, first_t: float, start: float, end: float | None) -> np.ndarray:
    """Cut to [start, end]: decoding begins at the whole frame that holds `start`."""
    head = max(0, int(round((start - first_t) * SAMPLE_RATE)))
    pcm = pcm[head:]
    if end is None:
        return pcm
    return pcm[: max(0, int((end - start) * SAMPLE_RATE))]


def _short(e: BaseException) -> str:
    """PyAV's message without errno and C function noise: "Invalid data found when ..."."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    text = re.sub(r":\s*'[\w_]+\(\)'$", "", text)
    return text[:120]


def write_wav(pcm: np.ndarray, out_wav: Path) -> None:
    out_wav.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out_wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.astype("<i2").tobytes())


def read_wav(path: Path) -> np.ndarray:
    """A 16 kHz mono s16 WAV as float32 in -1..1 (what the recognisers take)."""
    with wave.open(str(path), "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16 kHz mono 16-bit WAV")
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, "<i2").astype(np.float32) / 32768.0


def extract_audio(
    video: Path, out_wav: Path, start: float | None = None, end: float | None = None
) -> AudioInfo:
    """Write the video's first audio stream (or the [start, end] seconds of it) to `out_wav` as
    16 kHz mono s16 WAV. Raises FileNotFoundError only when `video` does not exist; every audio
    problem comes back as `note` (the WAV is then empty)."""
    if not video.is_file():
        raise FileNotFoundError(video)
    pcm, note = _decode(video, start, end)
    write_wav(pcm, out_wav)
    if note:
        return AudioInfo(False, 0.0, float("-inf"), float("-inf"), 0.0, note)
    duration = pcm.size / SAMPLE_RATE
    x = pcm.astype(np.float32) / 32768.0
    peak_db = _db(float(np.abs(x).max()))
    rms_db = _db(float(np.sqrt(np.mean(x * x))))
    speech = _active_seconds(pcm)
    # level only: a steady music bed has no "activity" above its own floor but is not silence
    silent = peak_db < SILENT_PEAK_DB
    return AudioInfo(
        has_audio=True,
        duration=round(duration, 3),
        peak_db=round(peak_db, 1),
        rms_db=round(rms_db, 1),
        speech_seconds=round(speech, 2),
        note="silent audio" if silent else "",
    )
