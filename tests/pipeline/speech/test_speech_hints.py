"""Brand hints found in transcript lines, with recognition slips and everyday-word brands."""

from __future__ import annotations

from adclf.pipeline.speech.hints import HintIndex, find_hints
from adclf.pipeline.types import SpeechLine

CATALOGUE = ["Nike", "Toyota", "Coca-Cola", "Starbucks", "McDonald's", "Target", "Go", "Just",
             "HERE", ".NET", "Viadeo", "Orange", "Samsung", "Red Bull", "Amazon"]  # fmt: skip


def line(text: str, confidence: float = 0.9, start: float = 1.0) -> SpeechLine:
    return SpeechLine(text=text, start=start, end=start + 2.0, confidence=confidence)


def names(lines: list[SpeechLine], hints: list[str] = CATALOGUE) -> list[str]:
    return [m.hint for m in find_hints(lines, hints)]


def test_exact_and_multi_word_names() -> None:
    assert names([line("Coca-Cola, taste the feeling")]) == ["Coca-Cola"]
    assert names([line("Red Bull gives you wings")]) == ["Red Bull"]
    assert names([line("coca cola")]) == ["Coca-Cola"]


def test_slips_are_matched_fuzzily() -> None:
    assert names([line("Togota, let's go places.")]) == ["Toyota"]
    assert names([line("Starbuck coffee, made for you")]) == ["Starbucks"]
    assert names([line("McDonalds. I'm loving it")]) == ["McDonald's"]


def test_spoken_address_counts() -> None:
    found = find_hints([line("Visit nike dot com", start=4.0)], CATALOGUE)
    assert [(m.hint, m.said, m.start) for m in found] == [("Nike", "nike", 4.0)]


def test_everyday_words_are_not_brands() -> None:
    text = "Just go here for the next video, it's a bit of a feeling"
    assert names([line(text)]) == []
    # ... unless said as an address
    assert names([line("shop at target dot com")]) == ["Target"]


def test_short_names_need_an_exact_match() -> None:
    assert names([line("Nice shoes")], ["Nike"]) == []
    assert names([line("Nike shoes")], ["Nike"]) == ["Nike"]
    assert names([line("Intell inside")], ["Intel"]) == ["Intel"]


def test_score_follows_line_confidence_and_best_first() -> None:
    found = find_hints(
        [line("Samsung Galaxy", confidence=0.5), line("Amazon deals", confidence=0.9)], CATALOGUE
    )
    assert [m.hint for m in found] == ["Amazon", "Samsung"]
    assert found[1].score == 0.5


def test_thousands_of_hints_find_only_the_named_ones() -> None:
    """Its speed (< 0.5 s) is measured by benchmarks/micro.py."""
    hints = [f"Brand{i:05d}" for i in range(5000)] + CATALOGUE
    index = HintIndex(hints)
    lines = [line("Buy the new Samsung Galaxy today. Go to amazon dot com for great deals.")] * 10
    assert sorted(m.hint for m in find_hints(lines, index)) == ["Amazon", "Samsung"]
