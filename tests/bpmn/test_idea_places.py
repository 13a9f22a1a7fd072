"""Places in the idea proposal: partners choose their region and municipality from Statistics
Finland's 2021 classification, the form stores codes, and the eligibility rule (a theme network
needs 4 municipalities in 2 regions) counts distinct codes. One region is one code, whatever
language it was chosen in."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from app.forms.validate import validate_form
from app.reference.places import finland
from tests.bpmn.conftest import BPMN
from workflows import dry_run, task_view

ROOT = BPMN.parent
FORM = json.loads((BPMN / "forms" / "idea_proposal.json").read_text("utf-8"))
PARTNER = FORM["properties"]["partners"]["items"] | {"$schema": FORM["$schema"]}


def partner(name: str, region: str, municipality: str | None = None) -> dict[str, str]:
    row = {"name": name, "type": "municipality", "region": region, "email": "info@town.example"}
    return row | ({"municipality": municipality} if municipality else {})


def screening_data(rehearsal, case) -> dict[str, Any]:
    """The case data the specialist's screening task sees: the counts and the eligibility."""
    rehearsal.move_clock("2021-04-15 16:15:01")
    task = rehearsal.task("screen_idea", case)
    assert task is not None
    return task_view(rehearsal.session, case.instance, task.task_id).data


def send_idea(rehearsal, partners: list[dict[str, str]]):
    case = rehearsal.start("applicant")  # City of Tampere: Pirkanmaa (06), Tampere (837)
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send(
        "send_idea_proposal", rehearsal.idea("Places", partners=partners), "applicant", case
    )
    return case


def test_the_form_lists_exactly_the_places_of_the_reference_data():
    """tools/place_choices.py wrote the lists and their translations from the data file."""
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "place_choices.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    places = finland()
    regions = [option["const"] for option in PARTNER["properties"]["region"]["oneOf"]]
    municipalities = [o["const"] for o in PARTNER["properties"]["municipality"]["oneOf"]]
    assert regions == list(places.regions)
    assert sorted(municipalities) == sorted(places.municipalities)


MUNICIPALITY_ERROR = "Choose a municipality of the region chosen above."


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        (partner("Nokia", "06", "536"), {}),
        (partner("A regional council", "06"), {}),  # the municipality may be left out
        (partner("Nokia", "05", "536"), {"municipality": MUNICIPALITY_ERROR}),  # in Pirkanmaa
        (partner("Honkajoki", "04", "099"), {"municipality": MUNICIPALITY_ERROR}),  # merged 2021
        (partner("Somewhere", "Pirkanmaa"), {"region": "Choose one of the options."}),
    ],
)
def test_a_partners_municipality_must_be_one_of_its_region(app, row, errors):
    with app.test_request_context():
        assert validate_form(PARTNER, row) == errors


def test_four_municipalities_in_two_regions_are_eligible(rehearsal):
    partners = [
        partner("City of Nokia", "06", "536"),
        partner("City of Ylöjärvi", "06", "980"),
        partner("City of Hämeenlinna", "05", "109"),
    ]
    data = screening_data(rehearsal, send_idea(rehearsal, partners))
    assert (data["municipality_count"], data["region_count"]) == (4, 2)
    assert data["eligible"] is True


def test_pirkanmaa_chosen_as_pirkanmaa_and_as_birkaland_is_one_region(rehearsal):
    """The lead (Tampere) is in Pirkanmaa; one partner chose "Pirkanmaa" on the Finnish page,
    another "Birkaland" on the Swedish one, a third "Pirkanmaa" on the English one: the form
    sent 06 each time, so the partners are in one region, and the rule wants two."""
    partners = [
        partner("Nokian kaupunki", "06", "536"),
        partner("Ylöjärvi stad", "06", "980"),
        partner("City of Orivesi", "06", "562"),
    ]
    data = screening_data(rehearsal, send_idea(rehearsal, partners))
    assert (data["municipality_count"], data["region_count"]) == (4, 1)
    assert data["eligible"] is False
    assert data["eligibility_reason"] == (
        "The participants come from too few regions (maakunta) for the application object chosen."
    )


def test_a_municipality_named_twice_counts_once(rehearsal):
    partners = [
        partner("City of Nokia", "06", "536"),
        partner("Nokia's development company", "06", "536"),
        partner("City of Hämeenlinna", "05", "109"),
    ]
    data = screening_data(rehearsal, send_idea(rehearsal, partners))
    assert (data["municipality_count"], data["region_count"]) == (3, 2)
    assert data["eligible"] is False
    assert data["eligibility_reason"] == (
        "Too few municipalities take part for the application object chosen."
    )


def test_the_lead_organisation_takes_part_with_its_codes(rehearsal):
    case = send_idea(rehearsal, [partner("City of Hämeenlinna", "05", "109")])
    data = screening_data(rehearsal, case)
    assert data["lead_organisation"]["region"] == "06"
    assert data["lead_organisation"]["municipality"] == "837"
    assert (data["municipality_count"], data["region_count"]) == (2, 2)


LIVE_CHECK_STEPS = ("count_municipalities", "check_eligibility")  # app/tasks/eligibility.py
DECIDED = ("municipality_count", "region_count", "eligible", "eligibility_reason")


@pytest.mark.parametrize(
    "partners",
    [
        [partner("City of Nokia", "06", "536")],  # 2 municipalities in 1 region
        [partner("City of Nokia", "06", "536"), partner("Ylöjärvi", "06", "980")],
        [
            partner("City of Nokia", "06", "536"),
            partner("City of Ylöjärvi", "06", "980"),
            partner("City of Hämeenlinna", "05", "109"),
        ],
        [],
    ],
)
def test_the_live_check_on_the_idea_form_says_what_the_screening_gets(rehearsal, partners):
    """The idea form's check runs the process's own counting and decision table on the form as
    typed: before Send it says exactly what the specialist's screening says after it."""
    case = rehearsal.start("applicant")
    idea = rehearsal.idea("Places", partners=partners)
    task = rehearsal.task("send_idea_proposal", case)
    assert task is not None
    before = task_view(rehearsal.session, case.instance, task.task_id).data
    live = dry_run(case.instance, LIVE_CHECK_STEPS, before | idea)
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", idea, "applicant", case)
    screened = screening_data(rehearsal, case)
    assert {key: live[key] for key in DECIDED} == {key: screened[key] for key in DECIDED}
