"""The taxonomy loader: each quirk of the official IAB file reproduced in a small TSV, the official
file itself when ../shared is present, the simple format, TAXONOMY_PATH and the packaged default."""

from __future__ import annotations

from pathlib import Path

import pytest

from adclf.config import Settings
from adclf.errors import BadInput
from adclf.pipeline.taxonomy import load_taxonomy, parse_taxonomy
from adclf.pipeline.taxonomy.loader import load_default_taxonomy, load_taxonomy_file

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
OFFICIAL = SHARED / "taxonomy" / "iab-ad-product-2.0.tsv"

HEADER = "Unique ID\tParent ID\tName\tTier 1\tTier 2\tTier 3"


def iab(*rows: str, crlf: bool = True) -> str:
    sep = "\r\n" if crlf else "\n"
    return sep.join([HEADER, *rows]) + sep


def test_crlf_line_ends_leave_no_carriage_returns() -> None:
    tax = parse_taxonomy(iab("1\t\tAlcohol\tAlcohol\t\t", "2\t1\tBeer\tAlcohol\tBeer\t"))
    assert tax.nodes["2"].name == "Beer"
    assert tax.nodes["2"].parent_id == "1"
    assert all("\r" not in n.name and "\r" not in n.id for n in tax.nodes.values())


def test_row_whose_parent_is_itself_gets_its_parent_from_the_tier_columns() -> None:
    tax = parse_taxonomy(iab(
        "10\t\tBusiness\tBusiness\t\t",
        "11\t10\tIndustrials\tBusiness\tIndustrials\t",
        "12\t12\tAerospace\tBusiness\tIndustrials\tAerospace",
        "13\t12\tShips\tBusiness\tIndustrials\tShips",
    ))
    assert tax.nodes["12"].parent_id == "11"
    assert tax.path("12") == "Business > Industrials > Aerospace"
    # children of the broken row are fixed by their tier path too
    assert tax.nodes["13"].parent_id == "11"
    assert sorted(c.id for c in tax.children("11")) == ["12", "13"]


def test_self_parent_root_without_a_resolvable_path_becomes_a_root() -> None:
    tax = parse_taxonomy(iab("1000\t1000\tAd Safety Risk\tAd Safety Risk\t\t"))
    assert tax.nodes["1000"].parent_id is None
    assert tax.roots == ["1000"]


def test_trailing_spaces_in_names_are_trimmed() -> None:
    tax = parse_taxonomy(iab(
        "1\t\tElectronics \tElectronics\t\t",
        "2\t1\tVideo Games \tElectronics\tVideo Games \t",
    ))
    assert tax.nodes["2"].name == "Video Games"
    assert tax.nodes["1"].name == "Electronics"


def test_duplicate_names_under_different_parents_stay_distinct() -> None:
    tax = parse_taxonomy(iab(
        "1\t\tDieting\tDieting\t\t",
        "2\t1\tStep Apps\tDieting\tStep Apps\t",
        "3\t\tFitness\tFitness\t\t",
        "4\t3\tStep Apps\tFitness\tStep Apps\t",
    ))
    assert tax.industry("2").name == "Dieting"
    assert tax.industry("4").name == "Fitness"
    assert tax.path("2") != tax.path("4")


def test_name_differing_from_tier_column_uses_the_tier_name_and_keeps_the_other_as_alias() -> None:
    tax = parse_taxonomy(iab(
        "1467\t\tPersonal/Consumer Telcom\tPersonal/Consumer Telecom\t\t",
        "1468\t1467\tHome Internet Services\tPersonal/Consumer Telecom\tHome Internet Services\t",
    ))
    node = tax.nodes["1467"]
    assert node.name == "Personal/Consumer Telecom"
    assert "Personal/Consumer Telcom" in node.aliases
    assert tax.nodes["1468"].parent_id == "1467"


def test_blank_trailing_rows_and_bom_are_ignored() -> None:
    text = "\ufeff" + iab("1\t\tAlcohol\tAlcohol\t\t") + "\t\t\t\t\t\r\n\r\n"
    tax = parse_taxonomy(text)
    assert list(tax.nodes) == ["1"]


def test_simple_format_with_comments_and_aliases() -> None:
    text = (
        "# my taxonomy\n"
        "id\tparent_id\tname\taliases\n"
        "A\t\tShoes\t\n"
        "B\tA\tRunning shoes\trunners; baskets de course\n"
        "C\tB\tTrail\n"
    )
    tax = parse_taxonomy(text)
    assert tax.nodes["B"].aliases == ["runners", "baskets de course"]
    assert tax.path("C") == "Shoes > Running shoes > Trail"
    assert [n.id for n in tax.leaves()] == ["C"]
    assert tax.industry("C").id == "A"
    assert tax.to_tree() == [{"id": "A", "name": "Shoes", "children": [
        {"id": "B", "name": "Running shoes", "children": [
            {"id": "C", "name": "Trail", "children": []}]}]}]


def test_unknown_parent_and_cycles_do_not_hang_or_hide_nodes() -> None:
    text = "id\tparent_id\tname\taliases\nA\tZ\tOrphan\t\nB\tC\tB\t\nC\tB\tC\t\n"
    tax = parse_taxonomy(text)
    assert set(tax.nodes) == {"A", "B", "C"}
    assert tax.nodes["A"].parent_id is None
    # every node is reachable from some root
    reachable = {nid for r in tax.roots for nid in [r, *tax.descendants(r)]}
    assert reachable == {"A", "B", "C"}


def test_unknown_header_and_empty_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown header"):
        parse_taxonomy("a\tb\tc\n1\t2\t3\n")
    with pytest.raises(BadInput, match="empty"):
        parse_taxonomy("\n\n")
    with pytest.raises(BadInput, match="cannot read"):
        load_taxonomy_file(tmp_path / "missing.tsv")


def test_taxonomy_path_setting_chooses_the_file(tmp_path: Path) -> None:
    custom = tmp_path / "mine.tsv"
    custom.write_text("id\tparent_id\tname\taliases\nX\t\tWidgets\tgizmo\n", encoding="utf-8")
    settings = Settings(DATA_DIR=tmp_path, TAXONOMY_PATH=custom)
    tax = load_taxonomy(settings)
    assert list(tax.nodes) == ["X"]
    assert load_taxonomy(settings) is tax  # parsed once
    assert len(load_taxonomy(Settings(DATA_DIR=tmp_path))) > 500  # no path: packaged default


def test_packaged_default_has_aliases_and_credit() -> None:
    tax = load_default_taxonomy()
    assert "IAB" in tax.source or tax.source.startswith("packaged:")
    footwear = tax.nodes["1070"]
    assert footwear.name == "Footwear"
    assert {"sneakers", "baskets", "chaussures de course"} <= set(footwear.aliases)
    assert tax.nodes["1037"].parent_id == "1036"  # the official self-parent row, fixed
    assert len(tax.industries()) >= 40
    assert all(tax.industry(leaf.id).parent_id is None for leaf in tax.leaves())


@pytest.mark.skipif(not OFFICIAL.exists(), reason="../shared/taxonomy is not present")
def test_official_file_loads_and_matches_our_default_on_tiers_1_and_2() -> None:
    official = load_taxonomy_file(OFFICIAL)
    ours = load_default_taxonomy()
    assert len(official) == len(ours)
    assert official.nodes["1037"].parent_id == "1036"
    assert official.nodes["1120"].name == "Video Games"
    tier12 = {n.id: n.name for n in official.nodes.values() if official.depth(n.id) <= 2}
    ours12 = {n.id: n.name for n in ours.nodes.values() if ours.depth(n.id) <= 2}
    assert tier12 == ours12
    assert {n: official.nodes[n].parent_id for n in tier12} == {
        n: ours.nodes[n].parent_id for n in ours12
    }
