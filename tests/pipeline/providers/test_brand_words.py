"""What may be reported as a brand when nothing but the text itself names it."""

from __future__ import annotations

import pytest

from adclf.pipeline.providers.brand_words import looks_like_a_name


@pytest.mark.parametrize("text", [
    "Just do it", "Think different", "Belong anywhere", "Free and fun", "I'm lovin' it",
    "Open happiness", "Let's go places", "Découvrez la différence", "Ouvert tous les jours",
    "Low fares. Made simple.", "Jouez sans limites", "JOUEZ SANS LIMITES", "Drink responsibly",
    "Bien cuisiner, facilement", "Changez aujourd'hui", "Forever faster", "Créez tout",
    "Finger lickin' good", "Protection contre lafraude", "Delivered tothe door",
])
def test_taglines_made_of_everyday_words_are_not_brands(text: str) -> None:
    ok, why = looks_like_a_name(text)
    assert not ok and why, text


@pytest.mark.parametrize("text", ["M", "O", "7", "0", "R", "42", "2024", "$9.99", "-30 %"])
def test_single_characters_numbers_and_prices_are_not_brands(text: str) -> None:
    assert not looks_like_a_name(text)[0], text


@pytest.mark.parametrize("text", ["Shop now", "Learn more", "En savoir plus", "Order now"])
def test_calls_to_action_are_not_brands(text: str) -> None:
    assert not looks_like_a_name(text)[0], text


def test_a_long_sentence_is_not_a_brand() -> None:
    assert not looks_like_a_name("The best coffee in the whole city since 1990")[0]


@pytest.mark.parametrize("text", ["Zalando", "Maison Dupré", "Ecomaison", "Desjardins",
                                  "Lululemon", "Veja", "BRASSERIE ROUX",
                                  "Caffè Lume", "LaCroix", "Le Creuset", "Lesaffre"])
def test_made_up_or_rare_names_pass(text: str) -> None:
    ok, why = looks_like_a_name(text)
    assert ok, (text, why)
