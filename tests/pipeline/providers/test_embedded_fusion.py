"""Brand fusion of speech lines: a name a later listen put in place of misheard words counts
once, as a confirmed name, never also as a heard web address."""

from __future__ import annotations

from adclf.pipeline.brand_catalogue import get_catalogue
from adclf.pipeline.providers.embedded_brand import BrandGuess
from adclf.pipeline.providers.embedded_fusion import fuse
from adclf.pipeline.types import Evidence, OcrLine, SpeechLine


def _fused(line: SpeechLine):  # type: ignore[no-untyped-def]
    return fuse(Evidence([], [], 20.0, speech_lines=[line]), BrandGuess("", 0.0),
                get_catalogue(None))


def test_a_confirmed_address_is_not_also_a_heard_one() -> None:
    heard = _fused(SpeechLine("One health, visit denon.com", 15.0, 17.0, 0.8, "en"))
    confirmed = _fused(SpeechLine("One health, visit Denon.com", 15.0, 17.0, 0.8, "en",
                                  revised_from="One health, visit tenon.com", confirmed="Denon"))
    assert heard.brand == confirmed.brand == "Denon"
    assert {s.source for s in heard.sources} == {"spoken web address", "speech"}
    assert [s.source for s in confirmed.sources] == ["speech"]
    assert "confirmed by listening again" in confirmed.sources[0].detail
    assert confirmed.score < heard.score - 0.2


def test_another_address_on_a_confirmed_line_still_counts() -> None:
    fused = _fused(SpeechLine("Vinted, or visit zalando.com", 3.0, 6.0, 0.8, "en",
                              revised_from="Winter, or visit zalando.com", confirmed="Vinted"))
    by_source = {s.source: s for s in fused.sources}
    assert fused.brand == "Zalando" and "spoken web address" in by_source


def test_an_address_split_by_the_recogniser_is_glued_back() -> None:
    # tiny.en split Doctolib into "Doctor Lib" and wrote the address as "Lib.FR" (tune split)
    nearly = _fused(SpeechLine("Doctor Lib, made easier. Visit Doctor Lib.FR.", 13.3, 17.0,
                               0.6, "en"))
    assert nearly.brand == "Doctolib"
    assert [s.source for s in nearly.sources] == ["spoken web address"]
    assert "nearly doctolib" in nearly.sources[0].detail
    # the glued address spelt exactly is the brand's own address as heard
    exact = _fused(SpeechLine("Rendez-vous sur Burger King point com", 13.3, 17.0, 0.6, "fr"))
    assert ("spoken web address", "burgerking.com") in [(s.source, s.text)
                                                        for s in exact.sources]
    # nearly a brand's name, but not at an address of its own ending: nothing
    assert _fused(SpeechLine("Visit Doctor Lib.ca.", 13.3, 17.0, 0.6, "en")).brand == ""
    # plain words before an unknown address glue into no brand
    assert _fused(SpeechLine("Visit our store.com for deals", 13.3, 17.0, 0.6, "en")).brand == ""


def _on_screen(*lines: tuple[str, float]):  # type: ignore[no-untyped-def]
    ocr = [OcrLine(text, at, 0.99, 0.07) for text, at in lines]
    return fuse(Evidence([], ocr, 20.0), BrandGuess("", 0.0), get_catalogue(None))


def test_a_list_of_brands_on_one_line_names_no_advertiser() -> None:
    # a streaming ad's copy lists what it carries; a retailer list says where a product sells
    for copy in ("Marvel, Pixar et Star Wars au même endroit",
                 "Available at Walmart, Target and Best Buy"):
        fused = _on_screen(("New series every Friday", 4.0), (copy, 10.0))
        assert fused.brand == "", (copy, fused.brand, fused.score)
    # the same name alone on a line still names the brand
    assert _on_screen(("New series every Friday", 4.0), ("Pixar", 10.0)).brand == "Pixar"


def test_a_spoken_list_names_no_advertiser_but_the_brand_after_it_does() -> None:
    listed = _fused(SpeechLine("Marvel, Pixar and Star Wars in one place", 3.0, 6.0, 0.9, "en"))
    assert listed.brand == ""
    both = fuse(Evidence([], [], 20.0, speech_lines=[
        SpeechLine("Marvel, Pixar and Star Wars in one place", 3.0, 6.0, 0.9, "en"),
        SpeechLine("Disney plus. Stories that bring us together.", 8.0, 11.0, 0.9, "en")]),
        BrandGuess("", 0.0), get_catalogue(None))
    assert both.brand == "Disney+", (both.brand, both.sources)


def test_letters_read_out_are_not_a_list() -> None:
    # "f r" reads as the tech names F# and R: with Renault that is three hits, but not a list
    fused = _fused(SpeechLine("Visit Renault dot f r", 15.0, 17.0, 0.9, "en"))
    assert fused.brand == "Renault" and fused.score > 0.5, (fused.brand, fused.score)


def test_a_confirmed_name_inside_a_longer_one_answers_the_name_confirmed() -> None:
    # "L'Oréal" was listened for; the line now reads "L'Oréal Paris", a catalogue entry of its own
    # that lists "L'Oréal" as an alias: the confirmation vouches for L'Oréal, no more
    fused = _fused(SpeechLine("Because you're worth it, L'Oréal Paris.", 15.0, 17.0, 0.66, "en",
                              revised_from="Because you're worth it, L or L Paris.",
                              confirmed="L'Oréal"))
    assert fused.brand == "L'Oréal"
    assert [s.source for s in fused.sources] == ["speech"]
    # a name confirmed is still not a licence for another brand on the line
    other = _fused(SpeechLine("Lacoste and L'Oréal Paris", 1.0, 3.0, 0.7, "en",
                              revised_from="la cost and L'Oréal Paris", confirmed="Lacoste"))
    assert other.brand == "Lacoste"
    assert all(s.source == "speech" for s in other.sources) and len(other.sources) == 1


def test_a_confirmed_name_counts_as_clearly_heard() -> None:
    # the line's low confidence measured "vintage", the words the confirmation replaced
    from adclf.pipeline.providers.embedded import CATALOGUE_MIN_BRAND

    confirmed = _fused(SpeechLine("Vinted, give it a second life.", 3.0, 6.0, 0.3, "en",
                                  revised_from="Vintage, give it a second life.",
                                  confirmed="Vinted"))
    heard = _fused(SpeechLine("Vinted, give it a second life.", 3.0, 6.0, 0.3, "en"))
    assert confirmed.brand == heard.brand == "Vinted"
    assert heard.score < CATALOGUE_MIN_BRAND <= confirmed.score


def test_a_copy_line_misread_mid_transition_is_no_brand() -> None:
    # tune split, a French Doctolib ad: OCR caught 'Un médecin en deux clics' fading in as
    # 'Un módooin', which read as a name (two words, one not in any dictionary)
    from adclf.pipeline.providers.embedded_brand import read_brand

    texts = [("Un módooin", 0.0), ("Un médecin en deux clics", 1.0),
             ("Téléconsultation dès ce soir", 5.0), ("La santé, plus simple.", 15.0),
             ("Trouvez un praticien", 19.0)]
    ocr = [OcrLine(text, at, 0.99, 0.07) for text, at in texts]
    guess = read_brand(ocr, 20.0)
    assert guess.brand == "Un módooin"  # what the text reader proposes
    fused = fuse(Evidence([], ocr, 20.0), guess, get_catalogue(None))
    assert fused.brand == ""
    assert any("misreading of the line 'Un médecin en deux clics'" in r for r in fused.rejected)
    # a name repeated at the start of a longer line is the same name, not a misreading
    named = [OcrLine("Maison Dupré", 17.0, 0.99, 0.12),
             OcrLine("Maison Dupré, depuis 1920", 5.0, 0.99, 0.07)]
    fused = fuse(Evidence([], named, 20.0), read_brand(named, 20.0), get_catalogue(None))
    assert fused.brand == "Maison Dupré"


def test_a_known_slogan_names_its_brand_with_a_modest_confidence() -> None:
    # the voice-over's name was misheard ("Hell or Hell Paris"), the slogan was not
    said = _fused(SpeechLine("Hell or Hell Paris, because you're worth it.", 14.0, 17.0, 0.8,
                             "en"))
    assert said.brand == "L'Oréal Paris"
    assert [s.source for s in said.sources] == ["slogan"]
    assert "slogan, said" in said.sources[0].detail
    assert 0.3 < said.score < 0.6
    # on screen, with the logo's brand: both sources are kept and the answer is surer
    seen = fuse(Evidence([], [OcrLine("Say yes to the world.", 18.0, 0.99, 0.07)], 20.0),
                BrandGuess("", 0.0), get_catalogue(None))
    assert seen.brand == "Lufthansa" and seen.sources[0].source == "slogan"
    # a line that is no one's slogan names nobody
    assert _on_screen(("Book your seat", 18.0)).brand == ""
