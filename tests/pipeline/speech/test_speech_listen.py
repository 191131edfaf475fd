"""The speech stage's later listens on real videos: a French voice-over is transcribed again in
French (the rescue ladder's speech rung) and the brand it says becomes evidence; an English ad
whose text names the brand is not listened to again."""

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


def listen(video: Path, work_dir: Path, written: list[str]) -> tuple[Heard, bool]:
    """The runner's order: the second listen at the first attempt, the French one last."""
    listener = Listener(threads=2).start(video, work_dir)
    heard = listener.result()
    listener.listen_again(heard, written)
    return heard, listener.listen_in_french(heard, written)


def brands(heard: Heard) -> set[str]:
    catalogue = get_catalogue(None)
    return {hit.brand.name for line in heard.lines for hit in catalogue.find_in_text(line.text)
            if not hit.weak}


def test_a_french_voice_over_is_heard_in_french_and_names_the_brand(
    fr_ad: Path, tmp_path: Path
) -> None:
    first = Listener(threads=2).start(fr_ad, tmp_path).result()
    assert "Renault" not in brands(first)  # tiny.en alone does not hear it
    heard, changed = listen(fr_ad, tmp_path, ["Tout est en promotion", "Rendez-vous en magasin"])
    assert changed and "Renault" in brands(heard)
    assert {ln.language for ln in heard.lines} == {"fr"}
    assert heard.french.startswith("transcribed again in French (the on-screen text is French)")
    assert heard.second_listen == ""  # tiny.en's rescoring is not tried on a French page
    assert heard.timings["asr_french"] > 0 and "asr_confirm" not in heard.timings
    assert heard.samples is None  # the kept track is freed


def test_an_english_ad_whose_text_names_the_brand_is_not_listened_to_again(
    en_ad: Path, tmp_path: Path
) -> None:
    heard, changed = listen(en_ad, tmp_path, ["Samsung Galaxy", "Buy it today"])
    assert not changed and heard.lines and {ln.language for ln in heard.lines} == {"en"}
    assert heard.second_listen == heard.french == ""
    assert not {"asr_french", "asr_confirm"} & set(heard.timings)


def test_an_english_voice_under_french_text_keeps_its_english_lines(
    speech_dir: Path, tmp_path: Path
) -> None:
    voice = media.speak("This winter, stay warm and dry with our new jackets for the whole "
                        "family.", speech_dir / "en_plain.wav")
    ad = media.video(speech_dir / "en_plain_ad.mp4", 10.0, voice=voice, voice_at=VOICE_AT)
    heard, changed = listen(ad, tmp_path, ["Tout est en promotion", "Rendez-vous en magasin"])
    said = " ".join(ln.text for ln in heard.lines).lower()
    assert not changed and "jackets" in said and {ln.language for ln in heard.lines} == {"en"}
    assert "the English lines were surer: kept them" in heard.french
