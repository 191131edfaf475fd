"""The shipped catalogue: size, valid categories, the industries of well-known advertisers, and the
lookups by name, domain and logo."""

from __future__ import annotations

import pytest

from adclf.brands import BrandCatalogue, default_catalogue
from adclf.pipeline.taxonomy.loader import load_default_taxonomy


@pytest.fixture(scope="module")
def cat() -> BrandCatalogue:
    return default_catalogue()


def test_default_is_large_and_categorised(cat: BrandCatalogue) -> None:
    assert len(cat) >= 1000
    curated = [b for b in cat if b.kind == "brand"]
    with_category = [b for b in curated if b.category_id]
    assert len(with_category) >= 1000
    assert sum(1 for b in cat if b.kind == "tech" and b.logo) >= 2000  # simple-icons entries
    assert sum(1 for b in curated if b.logo) >= 300  # curated brands linked to their logo
    assert sum(1 for b in curated if b.domains) >= 0.95 * len(curated)


def test_every_category_exists_in_the_taxonomy(cat: BrandCatalogue) -> None:
    taxonomy = load_default_taxonomy()
    unknown = {b.name: b.category_id for b in cat
               if b.category_id is not None and b.category_id not in taxonomy}
    assert unknown == {}


def test_names_domains_and_logos_are_unique(cat: BrandCatalogue) -> None:
    from adclf.brands.normalize import key

    keys = [key(b.name) for b in cat]
    assert len(keys) == len(set(keys))
    domains = [d for b in cat for d in b.domains]
    assert len(domains) == len(set(domains))
    logos = [b.logo for b in cat if b.logo]
    assert len(logos) == len(set(logos))


# The category misses seen on clean ads, and the big Canadian/French advertisers.
TIER1 = {
    "Domino's": "Food and Beverage Services",
    "Tide": "Consumer Packaged Goods",
    "Visa": "Finance and Insurance",
    "Canadian Tire": "Retail",
    "Cineplex": "Events and Performances",
    "Cirque du Soleil": "Events and Performances",
    "Sherwin-Williams": "Home and Garden Services",
    "Tim Hortons": "Food and Beverage Services",
    "McDonald's": "Food and Beverage Services",
    "Desjardins": "Finance and Insurance",
    "Couche-Tard": "Retail",
    "Jean Coutu": "Health and Medical Services",
    "Rona": "Retail",
    "Bell": "Personal/Consumer Telecom",
    "Vidéotron": "Personal/Consumer Telecom",
    "SAQ": "Retail",
    "Loto-Québec": "Gambling",
    "Carrefour": "Retail",
    "E.Leclerc": "Retail",
    "Renault": "Vehicles",
    "Peugeot": "Vehicles",
    "L'Oréal Paris": "Consumer Packaged Goods",
    "Decathlon": "Retail",
    "SNCF": "Travel and Tourism",
    "Orange": "Personal/Consumer Telecom",
    "Free": "Personal/Consumer Telecom",
    "BNP Paribas": "Finance and Insurance",
    "Toyota": "Vehicles",
    "Nike": "Clothing and Accessories",
    "Netflix": "Media",
    "Pfizer": "Pharmaceuticals",
    "Budweiser": "Alcohol",
    "GEICO": "Finance and Insurance",
    "The Home Depot": "Retail",
    "PlayStation": "Consumer Electronics",
}


@pytest.mark.parametrize(("name", "industry"), sorted(TIER1.items()))
def test_known_advertiser_industry(cat: BrandCatalogue, name: str, industry: str) -> None:
    brand = cat.get(name)
    assert brand is not None, name
    assert brand.category_id is not None
    assert load_default_taxonomy().path_names(brand.category_id)[0] == industry


def test_specific_nodes_for_the_reported_misses(cat: BrandCatalogue) -> None:
    tax = load_default_taxonomy()

    def leaf(name: str) -> str:
        brand = cat.get(name)
        assert brand is not None and brand.category_id is not None
        return tax.nodes[brand.category_id].name

    assert leaf("Domino's") == "Fast Food"
    assert leaf("Tide") == "Laundry"
    assert leaf("Visa") == "Credit Cards"
    assert leaf("Cineplex") == "Cinemas and Movie Events"
    assert leaf("Cirque du Soleil") == "Theatre and Musicals"


def test_get_is_case_and_accent_insensitive(cat: BrandCatalogue) -> None:
    assert (b := cat.get("videotron")) is not None and b.name == "Vidéotron"
    assert (b := cat.get("MCDONALDS")) is not None and b.name == "McDonald's"
    assert (b := cat.get("coca cola")) is not None and b.name == "Coca-Cola"
    assert cat.get("no such brand zzz") is None


@pytest.mark.parametrize("domain", ["nike.com", "www.nike.ca", "fr.nike.com",
                                    "https://www.nike.com/fr/launch?x=1", "NIKE.COM", "nike.de"])
def test_by_domain(cat: BrandCatalogue, domain: str) -> None:
    brand = cat.by_domain(domain)
    assert brand is not None and brand.name == "Nike"


def test_by_domain_misses(cat: BrandCatalogue) -> None:
    assert cat.by_domain("example.org") is None
    assert cat.by_domain("localhost") is None
    assert cat.by_domain("") is None
    assert (b := cat.by_domain("timhortons.ca")) is not None and b.name == "Tim Hortons"
    assert (b := cat.by_domain("saaq.gouv.qc.ca")) is not None and b.name == "SAAQ"


def test_by_logo(cat: BrandCatalogue) -> None:
    assert (b := cat.by_logo("mcdonalds")) is not None and b.name == "McDonald's"
    assert (b := cat.by_logo("python")) is not None and b.kind == "tech"
    assert cat.by_logo("no-such-slug") is None


def test_everyday_names_are_flagged(cat: BrandCatalogue) -> None:
    for name in ("Tide", "Shell", "Apple", "Visa", "Target", "Gap", "Dove", "Orange", "Free",
                 "Bell", "Subway"):
        brand = cat.get(name)
        assert brand is not None and brand.common_word, name
    for name in ("Toyota", "Tim Hortons", "Desjardins", "Nike"):
        brand = cat.get(name)
        assert brand is not None and not brand.common_word, name
    go = cat.get("Go")
    assert go is not None and go.kind == "tech"


def test_resolve_reads_a_whole_brand_string_by_name_alias_or_domain(cat: BrandCatalogue) -> None:
    wwf = cat.get("World Wildlife Fund")
    assert wwf is not None
    assert cat.resolve("WWF") == cat.resolve(" world wildlife fund ") == wwf
    assert cat.resolve("nike.com") == cat.get("Nike")
    # a string that only holds a brand, or none, names no entry
    assert cat.resolve("Nike Air Max") is None and cat.resolve("") is None
    assert cat.resolve("Just do it") is None
    assert cat.resolve("Nikee") is None  # a misspelt answer is not the brand, for a scorer


def test_same_advertiser_under_another_name(cat: BrandCatalogue) -> None:
    assert cat.same_advertiser("WWF", "World Wildlife Fund")
    assert cat.same_advertiser("Dannon", "Danone")
    assert not cat.same_advertiser("Nike", "Adidas")
    assert not cat.same_advertiser("Nike Air Max", "Nike Air Max")  # not in the catalogue


def test_a_brand_answers_to_its_name_and_aliases_only() -> None:
    from adclf.brands.model import Brand

    paris = Brand("L'Oréal Paris", aliases=("L'Oréal", "Loreal"))
    assert paris.answers_to("L'Oréal Paris") and paris.answers_to("l'oreal")
    assert paris.answers_to("LOREAL")
    assert not paris.answers_to("Paris") and not paris.answers_to("")
