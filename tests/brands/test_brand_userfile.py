"""User brand files (BRANDS_PATH): CSV and JSONL rows add, override and exclude brands; malformed
files fail with the file and line named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adclf.brands import BrandCatalogue

CSV_HEADER = "name,aliases,domains,logo,category_id,exclude\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_adds_overrides_and_excludes(tmp_path: Path) -> None:
    path = write(tmp_path, "brands.csv", CSV_HEADER
                 + "Fromagerie Boivin,Boivin|Fromages Boivin,fromagerieboivin.com,,1230,\n"
                 + "tim hortons,Timmies|Tim's,,,1356,\n"
                 + "Shell,,,,,true\n")
    cat = BrandCatalogue.load(user_path=path)
    default = BrandCatalogue.load()
    assert len(cat) == len(default) + 1

    boivin = cat.get("fromagerie boivin")
    assert boivin is not None and boivin.category_id == "1230" and boivin.kind == "brand"
    assert cat.by_domain("www.fromagerieboivin.com") is boivin
    hits = {h.brand.name: h for h in cat.find_in_text("les fromages boivin")}
    assert "Fromagerie Boivin" in hits and not hits["Fromagerie Boivin"].weak

    tims = cat.get("Tim Hortons")
    assert tims is not None and tims.name == "tim hortons"  # the user's spelling
    assert tims.category_id == "1356" and tims.aliases == ("Timmies", "Tim's")
    assert tims.domains == default.get("Tim Hortons").domains  # type: ignore[union-attr]

    assert cat.get("Shell") is None and cat.is_excluded("shell")
    assert cat.by_domain("shell.com") is None
    assert all(h.brand.name != "Shell" for h in cat.find_in_text("Shell V-Power at shell.ca"))
    assert default.get("Shell") is not None  # the shipped catalogue is untouched


def test_excluding_a_name_blocks_its_span(tmp_path: Path) -> None:
    path = write(tmp_path, "b.csv", CSV_HEADER + "American Express,,,,,yes\n")
    cat = BrandCatalogue.load(user_path=path)
    names = {h.brand.name for h in cat.find_in_text("American Express")}
    assert names == set()  # neither Amex nor "Express" on the same words


def test_jsonl_rows(tmp_path: Path) -> None:
    rows = [
        {"name": "Garage Doucet", "aliases": ["Doucet"], "domains": "garagedoucet.ca",
         "category_id": "1562"},
        {"name": "Visa", "common_word": False},
        {"name": "Nike", "exclude": True},
        {"name": "Python", "category_id": 1082},
    ]
    text = "# my brands\n" + "\n".join(json.dumps(r) for r in rows) + "\n\n"
    cat = BrandCatalogue.load(user_path=write(tmp_path, "b.jsonl", text))
    doucet = cat.get("Garage Doucet")
    assert doucet is not None and doucet.domains == ("garagedoucet.ca",)
    visa = cat.get("visa")
    assert visa is not None and not visa.common_word and visa.category_id == "1339"
    assert not [h for h in cat.find_in_text("paid with Visa") if h.brand is visa][0].weak
    assert cat.get("Nike") is None and cat.by_logo("nike") is None
    python = cat.get("Python")
    assert python is not None and python.kind == "brand" and python.category_id == "1082"


def test_user_only_catalogue(tmp_path: Path) -> None:
    path = write(tmp_path, "b.csv", "name\nAcme Anvils\nGap\n")
    cat = BrandCatalogue.load(default=False, user_path=path)
    assert len(cat) == 2
    gap = cat.get("gap")
    assert gap is not None and gap.common_word  # inferred from the word list
    acme = cat.get("Acme Anvils")
    assert acme is not None and not acme.common_word


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("a.csv", "brand,aliases\nNike,\n", 1, "header lacks a 'name' column"),
    ("b.csv", CSV_HEADER + "Nike,,,,1234567,\n", 2, "unknown category id '1234567'"),
    ("c.csv", CSV_HEADER + "Nike,,,,,maybe\n", 2, "exclude must be true or false"),
    ("d.csv", CSV_HEADER + "Nike,,,,,,extra,field\n", 2, "fields, header has 6"),
    ("e.csv", "name,colour\nNike,red\n", 2, "unknown field(s) colour"),
    ("f.csv", CSV_HEADER + "Acme,,,,,\n,,,,,\n ,x,,,,\n", 4, "missing brand name"),
    ("g.jsonl", '{"name": "Acme"}\n{"name": "Nike",\n', 2, "not JSON"),
    ("h.jsonl", '["Nike"]\n', 1, "expected a JSON object"),
    ("i.jsonl", '{"name": "Acme", "aliases": [1, 2]}\n', 1, "aliases must be a list of strings"),
    ("j.jsonl", '{"name": "Acme", "kind": "robot"}\n', 1, "kind must be"),
    ("k.csv", CSV_HEADER + "!!!,,,,,\n", 2, "has no letters or digits"),
])
def test_malformed_files_name_file_and_line(tmp_path: Path, name: str, text: str, line: int,
                                            words: str) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ValueError) as err:
        BrandCatalogue.load(user_path=path)
    message = str(err.value)
    assert str(path) in message and words in message
    if line:
        assert f"line {line}" in message


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no brand rows"):
        BrandCatalogue.load(user_path=write(tmp_path, "e.csv", CSV_HEADER))
    with pytest.raises(ValueError, match="cannot read"):
        BrandCatalogue.load(user_path=tmp_path / "missing.csv")


def test_custom_taxonomy_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "b.csv", "name,category_id\nAcme,X1\n")
    with pytest.raises(ValueError, match="unknown category id 'X1'"):
        BrandCatalogue.load(user_path=path)
    cat = BrandCatalogue.load(user_path=path, category_ids={"X1"})
    assert (acme := cat.get("acme")) is not None and acme.category_id == "X1"
