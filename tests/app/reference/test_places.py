"""The shipped classification of 2021 (app/reference/finland_2021.json): complete, consistent,
and as Statistics Finland published it for 1 January 2021."""

import json
from pathlib import Path

import pytest

from app.reference.places import finland

DATA = Path(__file__).resolve().parents[3] / "app" / "reference" / "finland_2021.json"


def raw() -> dict:
    return json.loads(DATA.read_text("utf-8"))


def test_the_file_names_its_source_and_its_year():
    data = raw()
    assert data["year"] == 2021
    assert "Statistics Finland" in data["source"]
    assert "kunta_1_20210101#maakunta_1_20210101" in data["source"]
    assert finland(2021).year == 2021


def test_there_are_19_regions_coded_as_statistics_finland_numbers_them():
    regions = finland().regions
    assert list(regions) == [f"{n:02d}" for n in range(1, 22) if n not in (3, 20)]
    assert (regions["01"].names["fi"], regions["01"].names["sv"]) == ("Uusimaa", "Nyland")
    assert (regions["02"].names["fi"], regions["02"].names["sv"]) == (
        "Varsinais-Suomi",
        "Egentliga Finland",
    )
    assert (regions["21"].names["fi"], regions["21"].names["sv"]) == ("Ahvenanmaa", "Åland")


def test_there_are_309_municipalities_of_which_16_in_aland():
    places = finland()
    assert len(places.municipalities) == 309
    assert sum(1 for m in places.municipalities.values() if m.region == "21") == 16


def test_codes_are_unique_and_of_their_length():
    data = raw()
    region_codes = [r["code"] for r in data["regions"]]
    municipality_codes = [m["code"] for m in data["municipalities"]]
    assert len(set(region_codes)) == len(region_codes) == 19
    assert len(set(municipality_codes)) == len(municipality_codes) == 309
    assert all(len(c) == 2 and c.isdigit() for c in region_codes)
    assert all(len(c) == 3 and c.isdigit() for c in municipality_codes)


def test_every_municipality_belongs_to_a_region_and_every_region_has_municipalities():
    places = finland()
    assert {m.region for m in places.municipalities.values()} == set(places.regions)


def test_every_place_has_its_names_in_finnish_and_swedish():
    data = raw()
    for place in data["regions"] + data["municipalities"]:
        for language in ("fi", "sv", "en"):
            assert place[language] == place[language].strip() != "", place


@pytest.mark.parametrize(
    ("code", "finnish", "swedish", "region"),
    [
        ("837", "Tampere", "Tammerfors", "06"),
        ("091", "Helsinki", "Helsingfors", "01"),
        ("478", "Maarianhamina", "Mariehamn", "21"),
        ("005", "Alajärvi", "Alajärvi", "14"),  # no Swedish name of its own
        # The changes of 1 January 2021: regions moved ...
        ("090", "Heinävesi", "Heinävesi", "12"),
        ("142", "Iitti", "Itis", "07"),
        ("152", "Isokyrö", "Storkyro", "14"),
        ("171", "Joroinen", "Jorois", "11"),
        ("291", "Kuhmoinen", "Kuhmois", "06"),
        # ... and Honkajoki merged into Kankaanpää.
        ("214", "Kankaanpää", "Kankaanpää", "04"),
    ],
)
def test_municipalities_are_as_classified_in_2021(code, finnish, swedish, region):
    municipality = finland().municipalities[code]
    assert (municipality.name("fi"), municipality.name("sv"), municipality.region) == (
        finnish,
        swedish,
        region,
    )


def test_honkajoki_is_no_longer_a_municipality():
    assert "099" not in finland().municipalities
    assert finland().municipality_code("Honkajoki") is None


def test_names_are_looked_up_in_a_language_and_codes_by_any_name():
    places = finland()
    assert places.region_name("06", "sv") == "Birkaland"
    assert places.region_name("19", "en") == "Lapland"
    assert places.municipality_name("853", "sv") == "Åbo"
    assert places.region_of("853") == "02"
    assert places.region_code("birkaland") == places.region_code("Pirkanmaa") == "06"
    assert places.municipality_code(" Åbo ") == places.municipality_code("Turku") == "853"
    assert places.region_name("99", "fi") is None


def test_a_place_typed_as_a_name_becomes_codes_and_a_known_municipality_decides_the_region():
    places = finland()
    assert places.place_codes("Pirkanmaa", "Tampere") == ("06", "837")
    assert places.place_codes("Lapland", "Inari") == ("19", "148")
    assert places.place_codes("Uusimaa", "Tampere") == ("06", "837")
    assert places.place_codes("Birkaland", None) == ("06", "")
    assert places.place_codes("Region X ", "M1") == ("Region X", "M1")


def test_choices_are_sorted_by_name_in_the_language_with_the_swedish_letters_last():
    places = finland()
    swedish = [name for _code, name in places.municipality_choices("sv")]
    assert swedish[-4:] == ["Åbo", "Äänekoski", "Östermark", "Övertorneå"]
    assert [name for _code, name in places.region_choices("fi")][:2] == [
        "Ahvenanmaa",
        "Etelä-Karjala",
    ]
