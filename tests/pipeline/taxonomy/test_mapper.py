"""The taxonomy mapper on the packaged default: exact, alias, provider and MiniLM retrieval."""

from __future__ import annotations

import pytest

from adclf.pipeline.taxonomy import get_mapper, parse_taxonomy
from adclf.pipeline.taxonomy.mapper import EmbeddingTaxonomyMapper
from adclf.pipeline.types import Classification, Evidence, OcrLine

NO_EVIDENCE = Evidence(frames=[], ocr_lines=[], duration=0.0)


def classify(category: str, candidates: list[tuple[str, float]] | None = None) -> Classification:
    return Classification("Brand", category, 0.5, "", candidates or [])


@pytest.mark.parametrize("text", ["Footwear", "footwear ", "1070",
                                  "Clothing and Accessories > Footwear"])
def test_exact_name_id_or_path(text: str) -> None:
    match = get_mapper().map(classify(text), NO_EVIDENCE)
    assert match.method == "exact"
    assert (match.category_id, match.category_name) == ("1070", "Footwear")
    assert (match.parent_category_id, match.parent_category) == ("1058", "Clothing and Accessories")
    assert (match.industry_id, match.industry_name) == ("1058", "Clothing and Accessories")
    assert match.score == 1.0
    assert match.top[0]["id"] == "1070" and match.top[0]["path"].endswith("> Footwear")


def test_tier_one_match_has_itself_as_industry_and_no_parent() -> None:
    match = get_mapper().map(classify("Vehicles"), NO_EVIDENCE)
    assert (match.category_id, match.industry_id) == ("1551", "1551")
    assert match.parent_category_id is None


def test_duplicate_name_prefers_the_provider_ranking() -> None:
    mapper = get_mapper()
    # "Grooming Supplies" exists under Consumer Packaged Goods (1178) and Durable Goods (1271)
    assert mapper.map(classify("Grooming Supplies"), NO_EVIDENCE).category_id == "1178"
    ranked = mapper.map(classify("Grooming Supplies", [("1271", 0.7), ("1178", 0.6)]),
                        NO_EVIDENCE)
    assert ranked.category_id == "1271"


@pytest.mark.parametrize(("text", "node"), [
    ("baskets", "1070"), ("chaussures de course", "1070"), ("Forfait mobile", "1471"),
    ("bière", "1004"), ("VOITURE ÉLECTRIQUE", "1571"), ("Personal/Consumer Telcom", "1467"),
])
def test_alias_english_and_french(text: str, node: str) -> None:
    match = get_mapper().map(classify(text), NO_EVIDENCE)
    assert match.method == "alias"
    assert match.category_id == node


def test_provider_candidates_are_used_when_the_text_is_free_form() -> None:
    match = get_mapper().map(classify("something sporty", [("1063", 0.81), ("1070", 0.7)]),
                             NO_EVIDENCE)
    assert match.method == "provider"
    assert match.category_id == "1063"
    assert match.score == pytest.approx(0.81)
    assert [t["id"] for t in match.top] == ["1063", "1070"]


def test_provider_candidates_outside_the_taxonomy_are_ignored() -> None:
    match = get_mapper().map(classify("sneakers", [("99999", 0.9)]), NO_EVIDENCE)
    assert (match.method, match.category_id) == ("alias", "1070")


@pytest.mark.parametrize(("text", "industry"), [
    ("pre-owned pickup trucks for sale at our dealership", "1551"),
    ("a savings account with a great interest rate", "1335"),
    ("frozen pepperoni pizza for dinner", "1123"),
    ("non-stop flights to Tokyo", "1529"),
])
def test_embedding_retrieval_for_free_text(text: str, industry: str) -> None:
    match = get_mapper().map(classify(text), NO_EVIDENCE)
    assert match.method == "embedding"
    assert match.industry_id == industry, match.top
    assert 0 < match.score <= 1
    assert 1 <= len(match.top) <= 5
    assert [t["score"] for t in match.top] == sorted((t["score"] for t in match.top), reverse=True)


def test_blank_category_falls_back_to_the_ocr_text_then_to_none() -> None:
    mapper = get_mapper()
    evidence = Evidence([], [OcrLine("Fresh flower bouquets delivered today", 1.0, 0.9, 0.1)], 5)
    assert mapper.map(classify(""), evidence).industry_id == "1371"
    none = mapper.map(classify(""), NO_EVIDENCE)
    assert (none.method, none.category_id, none.score) == ("none", "", 0.0)


def test_job_categories_restrict_every_step() -> None:
    mapper = get_mapper(None, ["Vehicles", "1529"])
    # an alias elsewhere in the taxonomy is not allowed: retrieval stays inside the allowed set
    shoes = mapper.map(classify("running shoes"), NO_EVIDENCE)
    assert shoes.industry_id in {"1551", "1529"}
    assert mapper.map(classify("Footwear", [("1070", 0.9)]), NO_EVIDENCE).industry_id in {
        "1551", "1529"}
    assert mapper.map(classify("electric car"), NO_EVIDENCE).category_id == "1571"


def test_custom_taxonomy_mapper() -> None:
    tax = parse_taxonomy("id\tparent_id\tname\taliases\nA\t\tPets\t\nB\tA\tDog food\tcroquettes\n")
    mapper = EmbeddingTaxonomyMapper(tax)
    match = mapper.map(classify("croquettes"), NO_EVIDENCE)
    assert (match.category_id, match.industry_id, match.method) == ("B", "A", "alias")
