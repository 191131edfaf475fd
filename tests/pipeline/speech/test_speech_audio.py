"""extract_audio on real ffmpeg-made videos: the WAV it writes, its window, and every way an
audio track can be missing or broken (a note, never an exception)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from adclf.pipeline.audio import SAMPLE_RATE, extract_audio, read_wav
from tests.pipeline.speech import media
from tests.pipeline.speech.media import SECONDS, VOICE_AT


def test_voice_over_becomes_16k_mono_wav_with_levels(en_ad: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    info = extract_audio(en_ad, out)
    assert info.has_audio and info.note == "" and info.transcribable
    assert info.duration == pytest.approx(SECONDS, abs=0.15)
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (SAMPLE_RATE, 1, 2)
    assert -30 < info.rms_db < -5 and info.peak_db <= 0.0
    # the voice starts at VOICE_AT: the first second is (near) silence
    samples = read_wav(out)
    assert np.abs(samples[:SAMPLE_RATE]).max() < 0.01
    assert np.abs(samples[int(VOICE_AT * SAMPLE_RATE) :]).max() > 0.1
    assert 1.0 < info.speech_seconds < SECONDS - VOICE_AT


def test_window_matches_the_same_seconds_of_the_full_track(en_ad: Path, tmp_path: Path) -> None:
    extract_audio(en_ad, tmp_path / "full.wav")
    info = extract_audio(en_ad, tmp_path / "win.wav", start=3.0, end=6.0)
    assert info.duration == pytest.approx(3.0, abs=0.01)
    full = read_wav(tmp_path / "full.wav")[3 * SAMPLE_RATE : 6 * SAMPLE_RATE]
    win = read_wav(tmp_path / "win.wav")
    # skip the first 0.1 s: AAC decoding restarted at a packet boundary needs one frame to settle
    a, b = full[SAMPLE_RATE // 10 :], win[SAMPLE_RATE // 10 : len(full)]
    assert np.corrcoef(a, b)[0, 1] > 0.95


def test_no_audio_track_is_a_note(mute_ad: Path, tmp_path: Path) -> None:
    info = extract_audio(mute_ad, tmp_path / "a.wav")
    assert (info.has_audio, info.note, info.duration) == (False, "no audio track", 0.0)
    assert (tmp_path / "a.wav").exists() and read_wav(tmp_path / "a.wav").size == 0


def test_silent_track_is_a_note(silent_ad: Path, tmp_path: Path) -> None:
    info = extract_audio(silent_ad, tmp_path / "a.wav")
    assert info.has_audio and info.note == "silent audio" and not info.transcribable
    assert info.duration == pytest.approx(4.0, abs=0.15)


def test_steady_music_is_not_called_silent(music_ad: Path, tmp_path: Path) -> None:
    info = extract_audio(music_ad, tmp_path / "a.wav")
    assert info.note == "" and info.peak_db > -20


def test_garbled_aac_stream_is_a_note_not_an_error(speech_dir: Path, tmp_path: Path) -> None:
    video = media.garbled_audio_video(speech_dir / "garbled.mp4", 4.0, amount=2)
    info = extract_audio(video, tmp_path / "a.wav")
    assert not info.has_audio
    assert info.note.startswith("unreadable audio stream: ")
    assert "packets undecodable" in info.note and len(info.note) < 200


def test_lightly_damaged_stream_keeps_what_decodes(speech_dir: Path, tmp_path: Path) -> None:
    video = media.garbled_audio_video(speech_dir / "scratched.mp4", 4.0, amount=5000)
    info = extract_audio(video, tmp_path / "a.wav")
    assert info.has_audio and info.note == ""
    assert info.duration > 3.0


def test_garbage_file_is_a_note(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(np.random.default_rng(3).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    info = extract_audio(junk, tmp_path / "a.wav")
    assert not info.has_audio and info.note.startswith("unreadable audio stream: ")


def test_truncated_file_is_a_note(en_ad: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(en_ad.read_bytes()[: en_ad.stat().st_size // 2])
    info = extract_audio(cut, tmp_path / "a.wav")
    # the index (moov) is at the end of an ffmpeg-made MP4: half a file has no readable stream
    assert not info.has_audio and info.note.startswith("unreadable audio stream: ")


def test_missing_video_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        extract_audio(tmp_path / "nope.mp4", tmp_path / "a.wav")


def test_thirty_second_track_is_whole(speech_dir: Path, en_voice: Path, tmp_path: Path) -> None:
    """Its speed (< 0.6 s) is measured by benchmarks/micro.py."""
    video = media.video(speech_dir / "long.mp4", 30.0, voice=en_voice, voice_at=5.0, bed="music")
    info = extract_audio(video, tmp_path / "a.wav")
    assert info.duration == pytest.approx(30.0, abs=0.15)
    samples = read_wav(tmp_path / "a.wav")
    assert samples.size == pytest.approx(30 * SAMPLE_RATE, abs=SAMPLE_RATE // 5)
