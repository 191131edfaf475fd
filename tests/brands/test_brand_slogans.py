"""Slogans name their brand: read as words in order, one misspelt long word allowed, short ones
only as a whole line; the shipped file and the catalogue stay in step; a user file adds more."""

from __future__ import annotations

from pathlib import Path

from adclf.brands import BrandCatalogue, default_catalogue
from adclf.brands.slogans import shipped_names, usable


def names(text: str) -> list[tuple[str, float]]:
    return [(h.brand.name, h.score) for h in default_catalogue().find_slogans(text)]


def test_every_shipped_slogan_names_a_catalogue_brand_and_is_long_enough() -> None:
    cat = default_catalogue()
    assert [n for n in shipped_names() if cat.resolve(n) is None] == []
    with_slogans = [b for b in cat if b.slogans]
    assert len(with_slogans) >= 90
    assert [s for b in with_slogans for s in b.slogans if not usable(s)] == []


def test_a_slogan_inside_a_line_as_heard_names_its_brand() -> None:
    # Whisper tiny.en on an espeak-ng voice-over (tune split): the name was lost, the line not
    assert names("Hell or Hell Paris, because you're worth it.") == [("L'Oréal Paris", 1.0)]
    assert names("PARCE QUE VOUS LE VALEZ BIEN") == [("L'Oréal Paris", 1.0)]
    assert names("Future is an attitude.") == [("Audi", 1.0)]
    # one long word misspelt by one letter, as speech writes it
    assert names("I'm loving it") == [("McDonald's", 0.8)]


def test_short_slogans_only_as_a_whole_line_and_no_near_copy() -> None:
    assert names("Think different") == [("Apple", 1.0)]
    assert names("We think different things here") == []
    # two misspelt words, or a short word misspelt, are another line
    assert names("Because your worst it") == []
    assert names("Say yes to thee world") == []
    # everyday copy
    for line in ("Book a test drive", "Learn more", "Just do your best", "Shop now"):
        assert names(line) == [], line


def test_a_user_file_adds_slogans(tmp_path: Path) -> None:
    path = tmp_path / "brands.csv"
    path.write_text("name,slogans\nMaison Dupré,Le goût du vrai pain|Depuis toujours chez vous\n",
                    encoding="utf-8")
    cat = BrandCatalogue.load(user_path=path)
    assert [h.brand.name for h in cat.find_slogans("Le goût du vrai pain.")] == ["Maison Dupré"]
    # the shipped ones are still there
    assert [h.brand.name for h in cat.find_slogans("Just do it")] == ["Nike"]
