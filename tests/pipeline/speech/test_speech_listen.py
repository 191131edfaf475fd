"""The speech stage's second listen on real videos: a French voice-over is transcribed again in
French and the brand it says becomes evidence; an English ad is not listened to twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.pipeline.brand_catalogue import get_catalogue
from adclf.pipeline.listen import Heard, Listener
from tests.pipeline.speech import media
from tests.pipeline.speech.media import VOICE_AT


@pytest.fixture(scope="session")
def fr_ad(speech_dir: Path, fr_voice: Path) -> Path:
    return media.video(speech_dir / "fr_ad.mp4", 12.0, voice=fr_voice, voice_at=VOICE_AT)


def listen(video: Path, work_dir: Path, written: list[str]) -> Heard:
    listener = Listener(threads=2).start(video, work_dir)
    heard = listener.result()
    listener.listen_again(heard, written)
    return heard


def brands(heard: Heard) -> set[str]:
    catalogue = get_catalogue(None)
    return {hit.brand.name for line in heard.lines for hit in catalogue.find_in_text(line.text)
            if not hit.weak}


def test_a_french_voice_over_is_heard_in_french_and_names_the_brand(
    fr_ad: Path, tmp_path: Path
) -> None:
    first = Listener(threads=2).start(fr_ad, tmp_path).result()
    assert "Renault" not in brands(first)  # tiny.en alone does not hear it
    heard = listen(fr_ad, tmp_path, ["Tout est en promotion", "Rendez-vous en magasin"])
    assert "Renault" in brands(heard)
    assert {ln.language for ln in heard.lines} == {"fr"}
    assert "transcribed again in French" in heard.second_listen
    assert heard.timings["asr_language"] > 0
    assert heard.samples is None  # the kept track is freed


def test_an_english_ad_whose_text_names_the_brand_is_not_listened_to_again(
    en_ad: Path, tmp_path: Path
) -> None:
    heard = listen(en_ad, tmp_path, ["Samsung Galaxy", "Buy it today"])
    assert heard.lines and {ln.language for ln in heard.lines} == {"en"}
    assert heard.second_listen == ""
    assert "asr_language" not in heard.timings and "asr_confirm" not in heard.timings
