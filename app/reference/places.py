"""Finland's regions (maakunnat) and municipalities (kunnat) as Statistics Finland classifies
them in a year: codes, names in Finnish, Swedish and English, and each municipality's region.

The classification of a year is a data file, ``finland_<year>.json`` (its source is in the file
and in README.md beside it). Forms store codes; names are shown in the page language. A code
of one year stays valid for the cases of that year, whatever later years change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES = ("fi", "sv", "en")
YEAR = 2021  # the classification of the shipped call
_FOLDER = Path(__file__).resolve().parent
# Finnish and Swedish alphabets end with å, ä, ö (Swedish order; Finnish sorts å like a or o,
# but no name of a place starts with it but Åland's, and Swedish readers expect it here).
_ALPHABET_END = str.maketrans({"å": "~1", "ä": "~2", "æ": "~2", "ö": "~3", "ø": "~3"})


@dataclass(frozen=True)
class Place:
    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        """The name in ``language``; Finnish for a language the classification lacks."""
        return self.names.get(language) or self.names["fi"]


@dataclass(frozen=True)
class Municipality(Place):
    region: str


def sort_key(name: str) -> str:
    return name.casefold().translate(_ALPHABET_END)


@dataclass(frozen=True)
class Classification:
    year: int
    source: str
    regions: dict[str, Place]
    municipalities: dict[str, Municipality]

    def region_name(self, code: str, language: str) -> str | None:
        region = self.regions.get(code)
        return region.name(language) if region else None

    def municipality_name(self, code: str, language: str) -> str | None:
        municipality = self.municipalities.get(code)
        return municipality.name(language) if municipality else None

    def region_of(self, municipality_code: str) -> str | None:
        """The code of the region a municipality belongs to."""
        municipality = self.municipalities.get(municipality_code)
        return municipality.region if municipality else None

    def region_choices(self, language: str) -> list[tuple[str, str]]:
        """(code, name) of every region, by name in ``language``."""
        return _choices(self.regions.values(), language)

    def municipality_choices(self, language: str) -> list[tuple[str, str]]:
        """(code, name) of every municipality, by name in ``language``."""
        return _choices(self.municipalities.values(), language)

    def region_code(self, text: str | None) -> str | None:
        """The code of a region given as its code or as a name in any language."""
        return _code_of(self.regions, text)

    def municipality_code(self, text: str | None) -> str | None:
        """The code of a municipality given as its code or as a name in any language."""
        return _code_of(self.municipalities, text)

    def place_codes(self, region: str | None, municipality: str | None) -> tuple[str, str]:
        """(region, municipality) as codes where the classification knows them, else as given
        (stripped). A known municipality decides the region: it belongs to exactly one."""
        municipality_code = self.municipality_code(municipality)
        if municipality_code is not None:
            return self.municipalities[municipality_code].region, municipality_code
        region_code = self.region_code(region)
        return region_code or (region or "").strip(), (municipality or "").strip()


def _choices(places: Iterable[Place], language: str) -> list[tuple[str, str]]:
    named = [(place.code, place.name(language)) for place in places]
    return sorted(named, key=lambda item: sort_key(item[1]))


def _code_of(places: Mapping[str, Place], text: str | None) -> str | None:
    wanted = (text or "").strip()
    if wanted in places:
        return wanted
    folded = wanted.casefold()
    for place in places.values():
        if folded and folded in (name.casefold() for name in place.names.values()):
            return place.code
    return None


@cache
def finland(year: int = YEAR) -> Classification:
    """The classification of ``year`` (FileNotFoundError for a year not shipped)."""
    data = json.loads((_FOLDER / f"finland_{year}.json").read_text("utf-8"))
    regions = {
        item["code"]: Place(item["code"], {k: item[k] for k in LANGUAGES if item.get(k)})
        for item in data["regions"]
    }
    municipalities = {
        item["code"]: Municipality(
            item["code"], {k: item[k] for k in LANGUAGES if item.get(k)}, item["region"]
        )
        for item in data["municipalities"]
    }
    return Classification(data["year"], data["source"], regions, municipalities)
