"""The speech stage's later listens on real videos: the rescue ladder's speech rung transcribes
the voice again with Whisper base in its language (a French voice-over in French, and the brand
it says becomes evidence; an English one in English, where base's confirmation finds a name
tiny.en misheard); an English ad whose text names the brand is not listened to again."""

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
    """The runner's order: the second listen at the first attempt, the closer one last."""
    listener = Listener(threads=2).start(video, work_dir)
    heard = listener.result()
    listener.listen_again(heard, written)
    return heard, listener.listen_closer(heard, written)


def ad_saying(text: str, stem: Path) -> Path:
    """A 12 s video whose voice-over (from 1 s, over music) says `text`."""
    voice = media.speak(text, stem.with_suffix(".wav"))
    return media.video(stem.with_suffix(".mp4"), 12.0, voice=voice, voice_at=1.0, bed="music")


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
    assert heard.closer.startswith(
        "transcribed again by Whisper base in French (the on-screen text is French)")
    assert heard.second_listen == ""  # tiny.en's rescoring is not tried on a French page
    assert heard.timings["asr_closer"] > 0 and "asr_confirm" not in heard.timings
    assert heard.samples is None  # the kept track is freed


def test_an_english_ad_whose_text_names_the_brand_is_not_listened_to_again(
    en_ad: Path, tmp_path: Path
) -> None:
    heard, changed = listen(en_ad, tmp_path, ["Samsung Galaxy", "Buy it today"])
    assert not changed and heard.lines and {ln.language for ln in heard.lines} == {"en"}
    assert heard.second_listen == heard.closer == ""
    assert not {"asr_closer", "asr_confirm"} & set(heard.timings)


def test_an_english_voice_under_french_text_is_heard_in_english(
    speech_dir: Path, tmp_path: Path
) -> None:
    voice = media.speak("This winter, stay warm and dry with our new jackets for the whole "
                        "family.", speech_dir / "en_plain.wav")
    ad = media.video(speech_dir / "en_plain_ad.mp4", 10.0, voice=voice, voice_at=VOICE_AT)
    heard, changed = listen(ad, tmp_path, ["Tout est en promotion", "Rendez-vous en magasin"])
    said = " ".join(ln.text for ln in heard.lines).lower()
    assert changed and "jackets" in said and {ln.language for ln in heard.lines} == {"en"}
    # the page said French, the French lines were less sure than tiny.en's: the ear decided
    assert heard.closer.startswith("transcribed again by Whisper base in English (the voice "
                                   "sounds English")


def test_a_name_tiny_en_misheard_is_confirmed_by_the_closer_listen(
    speech_dir: Path, tmp_path: Path
) -> None:
    """Whisper base's int8 numerics differ between CPUs: on one box it wrote "Revolute" for
    Revolut (and confirmed it), on an AMD EPYC "Nevertheless" (an everyday word, rightly not
    listened for). So two voice-overs: of those tiny.en and its rescoring miss, the closer
    listen must confirm at least one, from a span it wrote otherwise, and name no other brand."""
    said = {"Revolut": "Spend abroad with no hidden fees. Revolut. Banking made simple.",
            "Pampers": "Dry all night long. Pampers. Love, sleep and play. Visit pampers dot com"}
    confirmed = []
    for brand, text in said.items():
        ad = ad_saying(text, speech_dir / brand.lower())
        listener = Listener(threads=2).start(ad, tmp_path / brand)
        heard = listener.result()
        listener.listen_again(heard, [])
        if brand in brands(heard):
            continue  # not this test's case: the first pass heard it
        assert listener.listen_closer(heard, [])
        assert brands(heard) <= {brand}, heard.closer
        revised = [ln for ln in heard.lines if ln.confirmed == brand]
        if revised:
            assert brand.lower() not in revised[0].revised_from.lower()
            assert "accepted" in heard.closer and heard.timings["asr_closer_confirm"] > 0
            confirmed.append(brand)
    assert confirmed


def test_the_closer_listen_invents_no_brand_from_everyday_words(
    speech_dir: Path, tmp_path: Path
) -> None:
    ad = ad_saying("A bumble bee in the garden. Fresh flowers every morning.",
                   speech_dir / "garden")
    heard, changed = listen(ad, tmp_path, [])
    assert changed and heard.lines and brands(heard) == set()
    assert not any(ln.confirmed for ln in heard.lines)


def test_no_closer_hunt_when_the_ad_already_answers_a_brand(
    speech_dir: Path, fr_ad: Path, tmp_path: Path
) -> None:
    ad = ad_saying("Spend abroad with no hidden fees. Revolut. Banking made simple.",
                   speech_dir / "revolut")
    listener = Listener(threads=2).start(ad, tmp_path)
    heard = listener.result()
    assert not listener.listen_closer(heard, [], hunt=False)
    assert heard.closer.endswith("and the ad already answers a brand")
    assert "asr_closer" not in heard.timings and "Revolut" not in brands(heard)
    # French is still heard in French, with no hunt for misheard names after it
    french = Listener(threads=2).start(fr_ad, tmp_path / "fr")
    heard = french.result()
    assert french.listen_closer(heard, ["Tout est en promotion", "Rendez-vous en magasin"],
                                hunt=False)
    assert heard.closer.endswith("no misheard names listened for: the ad already answers a brand")
    assert "Renault" in brands(heard) and "asr_closer_confirm" not in heard.timings
