"""Choosing the language of an ad's second listen from Whisper base's reading of the voice and the
on-screen text; and telling a decoding loop from a repeated line."""

from __future__ import annotations

import pytest

from adclf.pipeline.speech.language import spoken_language, written_language
from adclf.pipeline.speech.whisper import looping


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["La vie est un beau sport.", "Découvrir la saison"], "fr"),
        (["Deux menus pour dix euros", "Détails sur notre site."], "fr"),
        (["Find your new running shoes", "Learn more at the store"], "en"),
        (["NIKE", "JUST DO IT"], None),  # a name and a slogan say nothing
        ([], None),
    ],
)
def test_written_language(lines: list[str], expected: str | None) -> None:
    assert written_language(lines) == expected


def test_a_voice_that_sounds_french_is_french_whatever_the_text() -> None:
    language, why = spoken_language({"fr": 0.93, "en": 0.07}, ["Learn more"])
    assert language == "fr" and "sounds French" in why


def test_french_text_tips_an_unsure_voice_but_not_a_clearly_english_one() -> None:
    french_text = ["Tout est en promotion", "Rendez-vous en magasin"]
    assert spoken_language({"fr": 0.3, "en": 0.7}, french_text)[0] == "fr"
    assert spoken_language({"fr": 0.3, "en": 0.7}, ["Everything on sale now"])[0] == "en"
    assert spoken_language({"fr": 0.01, "en": 0.99}, french_text)[0] == "en"
    assert spoken_language({}, french_text) == ("en", "")  # no voice, or no French model


def test_a_decoding_loop_is_told_from_a_line_said_again() -> None:
    assert looping("de la même chose " * 8)
    assert looping("The The The The")
    assert not looping("Go to amazon dot com for great deals. " * 4)  # a sentence, said again
    assert not looping("Renault, Renault, Renault. La vie en plus simple.")
