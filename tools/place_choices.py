"""Write the region and municipality choices of the idea proposal form from the reference data.

Dev-time tool. The partners of an idea proposal choose their region and municipality from
Statistics Finland's classification of the call's year (app/reference/finland_<year>.json):
the form stores codes, and each municipality must be one of its region's. The form file keeps
the lists itself, so a process version carries the classification it was deployed with and the
deploy checks see exactly what the server validates. This tool writes, from the data file:

- ``region``: one ``{"const": code, "title": English name}`` per region, in code order;
- ``municipality``: the same per municipality, by Finnish name;
- the partner's ``allOf``: for each region, ``if`` region is it ``then`` municipality is one of
  its municipalities;
- every such title in bpmn/translations/fi.json and sv.json, with its Finnish and Swedish name.

    python tools/place_choices.py          # rewrite the files
    python tools/place_choices.py --check  # exit 1 if they differ from the data

tests/bpmn/test_idea_places.py runs the check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.reference.places import Classification, finland, sort_key  # noqa: E402

BPMN = ROOT / "bpmn"
FORM = "forms/idea_proposal.json"
CATALOGS = {"fi": "translations/fi.json", "sv": "translations/sv.json"}


def partner(form: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = form["properties"]["partners"]["items"]
    return item


def with_places(form: dict[str, Any], places: Classification) -> dict[str, Any]:
    """The form with its partners' region and municipality choices from ``places``."""
    form = json.loads(json.dumps(form))
    item = partner(form)
    municipalities = sorted(places.municipalities.values(), key=lambda m: sort_key(m.name("fi")))
    item["properties"]["region"]["oneOf"] = [
        {"const": region.code, "title": region.name("en")} for region in places.regions.values()
    ]
    item["properties"]["municipality"]["oneOf"] = [
        {"const": municipality.code, "title": municipality.name("en")}
        for municipality in municipalities
    ]
    item["allOf"] = [
        {
            "if": {"properties": {"region": {"const": region.code}}, "required": ["region"]},
            "then": {
                "properties": {
                    "municipality": {
                        "enum": [m.code for m in municipalities if m.region == region.code]
                    }
                }
            },
        }
        for region in places.regions.values()
    ]
    return form


def with_place_names(
    catalog: dict[str, str], language: str, places: Classification
) -> dict[str, str]:
    """The catalog with the name in ``language`` of every region and municipality, by the
    English name the form writes."""
    catalog = dict(catalog)
    for place in [*places.regions.values(), *places.municipalities.values()]:
        catalog[place.name("en")] = place.name(language)
    return dict(sorted(catalog.items()))


def dump(value: dict[str, Any], sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def written(folder: Path = BPMN, places: Classification | None = None) -> dict[str, str]:
    """File name (in ``folder``) -> the text it should have."""
    places = places or finland()
    form = json.loads((folder / FORM).read_text("utf-8"))
    texts = {FORM: dump(with_places(form, places))}
    for language, name in CATALOGS.items():
        catalog = json.loads((folder / name).read_text("utf-8"))
        texts[name] = dump(with_place_names(catalog, language, places), sort_keys=True)
    return texts


def main(argv: list[str]) -> int:
    stale = [name for name, text in written().items() if (BPMN / name).read_text("utf-8") != text]
    if "--check" in argv:
        for name in stale:
            print(f"bpmn/{name} differs from the reference data: run tools/place_choices.py")
        return 1 if stale else 0
    for name, text in written().items():
        (BPMN / name).write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
