"""Speech test media, made once per session with espeak-ng and ffmpeg, and one shared recogniser
(loading it is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.pipeline.speech import WhisperRecognizer, get_recognizer
from tests.pipeline.speech import media
from tests.pipeline.speech.media import EN_TEXT, FR_TEXT, SECONDS, VOICE_AT


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech-media")


@pytest.fixture(scope="session")
def recognizer() -> WhisperRecognizer:
    return get_recognizer()


@pytest.fixture(scope="session")
def en_voice(speech_dir: Path) -> Path:
    return media.speak(EN_TEXT, speech_dir / "en_voice.wav")


@pytest.fixture(scope="session")
def fr_voice(speech_dir: Path) -> Path:
    return media.speak(FR_TEXT, speech_dir / "fr_voice.wav", voice="fr+m3")


@pytest.fixture(scope="session")
def en_ad(speech_dir: Path, en_voice: Path) -> Path:
    return media.video(speech_dir / "en_ad.mp4", SECONDS, voice=en_voice, voice_at=VOICE_AT)


@pytest.fixture(scope="session")
def en_ad_music(speech_dir: Path, en_voice: Path) -> Path:
    return media.video(
        speech_dir / "en_ad_music.mp4", SECONDS, voice=en_voice, voice_at=VOICE_AT, bed="music"
    )


@pytest.fixture(scope="session")
def music_ad(speech_dir: Path) -> Path:
    return media.video(speech_dir / "music_ad.mp4", SECONDS, bed="music", bed_volume=1.0)


@pytest.fixture(scope="session")
def silent_ad(speech_dir: Path) -> Path:
    return media.video(speech_dir / "silent_ad.mp4", 4.0, bed="silence")


@pytest.fixture(scope="session")
def mute_ad(speech_dir: Path) -> Path:
    return media.video(speech_dir / "mute_ad.mp4", 3.0)
