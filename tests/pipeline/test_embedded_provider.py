"""The embedded provider on real evidence: ffmpeg-made ads, real frame sampling and real RapidOCR,
then brand, category, confidence and reasoning. Brands are invented, so nothing can come from a
brand list: the answer must be read in the video."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from adclf.domain import JobSettings
from adclf.pipeline.frames import VideoFrameSource
from adclf.pipeline.ocr import get_ocr_engine
from adclf.pipeline.providers import get_provider
from adclf.pipeline.providers.embedded import EmbeddedProvider
from adclf.pipeline.taxonomy import get_mapper, load_taxonomy
from adclf.pipeline.types import Evidence, Frame, OcrLine
from tests.videos import Scene, make_video

SIZE = (640, 360)


@pytest.fixture(scope="module")
def provider() -> EmbeddedProvider:
    return EmbeddedProvider(None, JobSettings())


@pytest.fixture(scope="module")
def ads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Evidence]:
    """Three ads read by the real pipeline stages (Full Video sampling, RapidOCR)."""
    d = tmp_path_factory.mktemp("embedded-ads")
    specs = {
        "english": [
            Scene(3.0, "darkgreen", ["Trail running shoes", "Grip on every path"], font_size=38),
            Scene(3.0, "black", ["Brisko", "brisko.com"], font_size=60),
        ],
        "french": [
            Scene(3.0, "navy", ["Forfait mobile 5G illimité", "100 Go pour 9,99 € par mois"],
                  font_size=34),
            Scene(3.0, "white", ["Telvio", "telvio.fr"], font_size=60, font_color="black"),
        ],
        "domain_only": [
            Scene(3.0, "purple", ["Comparez les vols et les hôtels"], font_size=36),
            Scene(3.0, "black", ["www.voyaluna.com", "Réservez malin"], font_size=48),
        ],
        "no_text": [Scene(2.0, "teal", []), Scene(2.0, "olive", [])],
    }
    source = VideoFrameSource()
    ocr = get_ocr_engine("rapidocr", "Fast")
    out: dict[str, Evidence] = {}
    for name, scenes in specs.items():
        video = make_video(d / f"{name}.mp4", scenes, size=SIZE)
        frames, duration = source.sample(video, "Full Video")
        out[name] = Evidence(frames=frames, ocr_lines=ocr.read(frames), duration=duration)
    return out


def test_factory_builds_the_embedded_provider() -> None:
    provider = get_provider(None, JobSettings(provider="embedded"))  # type: ignore[arg-type]
    assert isinstance(provider, EmbeddedProvider)
    assert provider.name == "embedded"


def test_english_ad_brand_category_and_reasoning(
    provider: EmbeddedProvider, ads: dict[str, Evidence]
) -> None:
    result = provider.classify(ads["english"])
    tax = load_taxonomy()
    assert result.brand == "Brisko"
    assert tax.industry(result.candidates[0][0]).name == "Clothing and Accessories"
    assert result.category == tax.path(result.candidates[0][0])
    assert "brisko.com" in result.reasoning and "Brisko" in result.reasoning
    assert "→" in result.reasoning
    assert result.provider == "embedded" and result.model
    assert 0.0 <= result.confidence <= 1.0
    mapped = get_mapper().map(result, ads["english"])
    assert mapped.method == "provider"
    assert mapped.category_id == result.candidates[0][0]
    assert mapped.industry_name == "Clothing and Accessories"


def test_french_copy_is_understood(provider: EmbeddedProvider, ads: dict[str, Evidence]) -> None:
    result = provider.classify(ads["french"])
    tax = load_taxonomy()
    assert result.brand == "Telvio"
    assert tax.industry(result.candidates[0][0]).id == "1467"  # Personal/Consumer Telecom
    assert "forfait" in result.reasoning.lower()


def test_brand_from_the_web_address_alone(
    provider: EmbeddedProvider, ads: dict[str, Evidence]
) -> None:
    result = provider.classify(ads["domain_only"])
    assert result.brand == "Voyaluna"
    assert "voyaluna.com" in result.reasoning
    assert load_taxonomy().industry(result.candidates[0][0]).id == "1529"  # Travel and Tourism


def test_no_text_gives_a_clear_low_confidence_answer(
    provider: EmbeddedProvider, ads: dict[str, Evidence]
) -> None:
    evidence = ads["no_text"]
    assert evidence.ocr_lines == []
    result = provider.classify(evidence)
    assert result.brand == ""
    assert result.confidence < 0.1
    assert "no text" in result.reasoning.lower()
    assert get_mapper().map(result, evidence).method == "none"


def test_confidence_is_higher_with_strong_evidence_than_with_thin_evidence(
    provider: EmbeddedProvider, ads: dict[str, Evidence]
) -> None:
    strong = provider.classify(ads["english"]).confidence
    # the same end card without any product copy: the brand is known, the product is not
    thin_lines = [x for x in ads["english"].ocr_lines if "brisko" in x.text.lower()]
    thin = provider.classify(Evidence([], thin_lines, ads["english"].duration)).confidence
    assert strong > thin


def test_job_categories_restrict_the_candidates() -> None:
    restricted = EmbeddedProvider(None, JobSettings(categories=["Vehicles"]))
    lines = [OcrLine("Trail running shoes", 1.0, 0.99, 0.1), OcrLine("brisko.com", 5.0, 0.99, 0.1)]
    result = restricted.classify(Evidence([], lines, 6.0))
    tax = load_taxonomy()
    assert result.candidates
    assert all(tax.industry(cid).id == "1551" for cid, _ in result.candidates)


def test_frames_without_ocr_lines_do_not_crash() -> None:
    frame = Frame(timestamp=0.0, image=np.zeros((36, 64, 3), dtype=np.uint8))
    result = EmbeddedProvider().classify(Evidence([frame], [], 1.0))
    assert result.brand == "" and result.candidates == []


def test_models_load_once_across_threads() -> None:
    from adclf.pipeline.embedded.text_encoder import get_text_encoder

    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(get_text_encoder())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(x) for x in seen}) == 1


def test_no_network_needed_for_the_model(tmp_path: Path) -> None:
    from adclf.pipeline.embedded.text_encoder import model_dir

    path = model_dir()
    assert (path / "model.safetensors").exists()
    assert path.is_absolute() and "site-packages" in str(path)


def _line(text: str, at: float, height: float = 0.1) -> OcrLine:
    return OcrLine(text, at, 0.99, height)


def test_brand_reading_rules() -> None:
    from adclf.pipeline.providers.embedded_brand import read_brand

    # a slogan that only starts like the domain is not the brand; the domain names it
    slogan = [_line("Compare hotels", 2), _line("Staylo.yeah", 10, 0.2), _line("staylo.com", 18)]
    assert read_brand(slogan, 20).brand == "Staylo"
    # a two-word brand whose first word is the domain's name keeps its on-screen spelling
    two_words = [_line("Sparkling wine", 2), _line("Mavel & Fils", 18, 0.2), _line("mavel.fr", 18)]
    assert read_brand(two_words, 20).brand == "Mavel & Fils"
    # calls to action and prices are never the brand
    cta = [_line("Shop now", 18, 0.2), _line("29,99 €", 18, 0.2), _line("Korvo", 18, 0.12)]
    assert read_brand(cta, 20).brand == "Korvo"


def test_everyday_words_are_not_product_cues() -> None:
    from adclf.pipeline.taxonomy.index import get_index

    index = get_index(load_taxonomy())
    # 'thé' (tea) folds to 'the'; 'or' (gold) is a conjunction in English
    assert index.cues("Live for the story, or not") == []
    assert {hit.node_id for hit in index.cues("Green tea, the classic")} == {"1133"}
