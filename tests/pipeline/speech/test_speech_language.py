"""Choosing the language of an ad's second listen from its on-screen text and Whisper base's
reading of the voice; and telling a decoding loop from a repeated line."""

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


def test_the_voice_is_french_from_half_of_whisper_bases_share() -> None:
    assert spoken_language({"fr": 0.93, "en": 0.07}) == ("fr", "the voice sounds French (0.93)")
    assert spoken_language({"fr": 0.5, "en": 0.5})[0] == "fr"
    assert spoken_language({"fr": 0.3, "en": 0.7}) == ("en", "the voice sounds English (0.70)")
    assert spoken_language({}) == ("en", "no voice found")  # music, or no French model


def test_a_decoding_loop_is_told_from_a_line_said_again() -> None:
    assert looping("de la même chose " * 8)
    assert looping("The The The The")
    assert not looping("Go to amazon dot com for great deals. " * 4)  # a sentence, said again
    assert not looping("Renault, Renault, Renault. La vie en plus simple.")
