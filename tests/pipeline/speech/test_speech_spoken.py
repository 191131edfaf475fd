"""Spoken forms to written evidence (pure functions)."""

from __future__ import annotations

import pytest

from adclf.pipeline.speech.spoken import (
    domain_names,
    domains,
    glued_domains,
    join_spelled,
    number_words,
    spoken_to_written,
)


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("Visit nike dot com. Just do it.", "Visit nike.com. Just do it."),
        ("Rendez-vous sur nike point com", "Rendez-vous sur nike.com"),
        ("Commandez sur amazon point fr", "Commandez sur amazon.fr"),
        ("w w w dot nike dot com", "www.nike.com"),
        ("triple w dot nike dot com", "www.nike.com"),
        ("WWW dot acme dot co dot uk slash deals", "www.acme.co.uk slash deals"),
        ("spell it n i k e", "spell it nike"),
        ("N-I-K-E, Nike", "nike, Nike"),
        ("go to Amazon.com for great deals", "go to Amazon.com for great deals"),
        # ordinary speech is left alone
        ("that is the point of it", "that is the point of it"),
        ("a b is fine", "a b is fine"),
        ("I am a man", "I am a man"),
        ("dot com", "dot com"),
    ],
)
def test_spoken_to_written(said: str, written: str) -> None:
    assert spoken_to_written(said) == written


def test_domains_spoken_and_written_in_order_without_www() -> None:
    text = "Go to www.nike.com and apple dot com, or nike dot com again"
    assert domains(text) == ["nike.com", "apple.com"]
    assert domains("no address here, just a dot in the sky") == []


def test_domain_names_drop_tlds_and_subdomains() -> None:
    assert domain_names("visit shop dot acme dot co dot uk") == ["acme"]
    assert domain_names("store dot com") == ["store"]
    assert domain_names("nike point fr et nike point com") == ["nike"]


def test_spelled_letters_need_three() -> None:
    assert join_spelled("it's I B M") == "it's ibm"
    assert join_spelled("N.I.K.E.") == "nike"
    assert join_spelled("plan b today") == "plan b today"


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("call one eight hundred five five five", "call 1 800 555"),
        ("twenty one pilots", "21 pilots"),
        ("two hundred fifty dollars", "250 dollars"),
        ("Route sixty six", "Route 66"),
        ("vingt deux", "22"),
        ("one day", "one day"),
    ],
)
def test_number_words(said: str, digits: str) -> None:
    assert number_words(said) == digits


def test_numbers_only_on_request() -> None:
    assert spoken_to_written("one eight hundred flowers") == "one eight hundred flowers"
    assert spoken_to_written("one eight hundred flowers", numbers=True) == "1 800 flowers"


def test_the_top_level_domain_said_right_after_a_span() -> None:
    from adclf.pipeline.speech.spoken import address_after

    assert address_after("visit www.teffel.com", "www teffel") == "com"
    assert address_after("Visit Doctor Lib.FR.", "Doctor Lib") == "fr"
    assert address_after("Visit Babbel dot com", "Babbel") == "com"
    assert address_after("Babbel, speak from day one", "Babbel") is None
    assert address_after("visit babbel.com", "bab") is None  # only whole words


def test_a_one_label_address_is_glued_to_the_words_said_before_it() -> None:
    assert glued_domains("Healthcare made easier. Visit Doctor Lib.FR.") == [
        ("lib.fr", "doctorlib.fr"), ("lib.fr", "visitdoctorlib.fr")]
    assert glued_domains("Rendez-vous sur Burger King point com")[0] == (
        "king.com", "burgerking.com")
    # a complete address, a sentence's end or a comma before it: nothing to glue
    assert glued_domains("visit www.teffel.com") == []
    assert glued_domains("Easier. lib.fr") == []
    assert glued_domains("nike.com") == []
