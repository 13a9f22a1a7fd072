"""A call's overview for its staff: cases by phase, the sums applied for against the budget, by
application object and by the lead organisation's region; in the page language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.auth.models import Organisation
from app.calls.models import Call
from app.calls.overview import GroupSum, Money, PhaseCount, call_overview
from app.cases.models import Case
from app.extensions import db

KEY = "regional-networks-2021"
URL = f"/calls/{KEY}/overview"
FINNISH = {"Accept-Language": "fi"}
SWEDISH = {"Accept-Language": "sv"}
WAITING = "Waiting for: Funding decision"
# (project, organisation, object, phase, closed, applied for, granted); cases of the 2021 call
CASES = [
    ("Lakeland", "City of Tampere", "theme_network", WAITING, False, 400000, None),
    ("Savo hubs", "City of Tampere", "growth_zone", WAITING, False, 250000, None),
    ("Arctic", "Leader Pohjoisin Lappi", "theme_network", "Funded", True, 300000, 300000),
    ("Late one", "Leader Pohjoisin Lappi", None, "Closed as late (idea)", True, None, None),
    ("Kuopio link", "City of Kuopio", "growth_zone", "Screen the idea proposal", False, None, None),
]
OTHER_CALL = ("Next round", "City of Tampere", "growth_zone", WAITING, False, 999999, None)


@pytest.fixture
def cases(app, demo, make_organisation):
    """Five cases of the 2021 call, as the engine leaves them, and one of the 2022 call."""
    make_organisation("City of Kuopio", "municipality", "11", "297")  # North Savo, Kuopio
    with app.app_context():
        calls = {call.key: call for call in db.session.scalars(select(Call))}
        organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
        now = datetime(2021, 6, 3, tzinfo=UTC)
        rows = [(KEY, *case) for case in CASES] + [("regional-networks-2022", *OTHER_CALL)]
        for key, project, organisation, thing, phase, closed, applied, granted in rows:
            db.session.add(
                Case(
                    call_id=calls[key].id,
                    organisation_id=organisations[organisation].id,
                    project_name=project,
                    application_object=thing,
                    phase=phase,
                    closed=closed,
                    requested_amount=applied,
                    granted_amount=granted,
                    created_by="applicant",
                    created_at=now,
                    updated_at=now,
                )
            )
        db.session.commit()


def test_the_figures_count_the_calls_cases_by_phase_object_and_region(app, cases):
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == KEY))
        overview = call_overview(db.session, call)

    assert (overview.cases, overview.open_cases, overview.closed_cases) == (5, 3, 2)
    assert overview.phases == [
        PhaseCount(WAITING, False, 2, None),
        PhaseCount("Screen the idea proposal", False, 1, None),
        PhaseCount("Closed as late (idea)", True, 1, None),
        PhaseCount("Funded", True, 1, None),
    ]
    assert overview.money == Money(
        budget=7000000,
        reserved=1000000,
        applied=950000,
        applied_open=650000,
        applied_reserved=0,
        granted=300000,
        applications=3,
    )
    assert overview.by_object == [
        GroupSum("theme_network", 2, 2, 700000),
        GroupSum("growth_zone", 2, 1, 250000),
        GroupSum(None, 1, 0, 0),
    ]
    assert overview.by_region == [
        GroupSum("06", 2, 2, 650000),  # Pirkanmaa, by Statistics Finland's code
        GroupSum("19", 2, 1, 300000),  # Lapland
        GroupSum("11", 1, 0, 0),  # North Savo
    ]


def table(page: str, key: str) -> list[list[str]]:
    """The rows of a chart's table, each cell's text."""
    found = re.search(rf'<table[^>]*id="chart-{key}-table">(.*?)</table>', page, re.DOTALL)
    assert found is not None, key
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.DOTALL)
    ]


def test_the_specialist_reads_each_chart_as_a_table(signed_in, cases):
    page = signed_in("specialist").get(URL).get_data(as_text=True)

    assert table(page, "phases") == [
        ["Phase", "Open or closed", "Cases"],
        [WAITING, "Open", "2"],
        ["Screen the idea proposal", "Open", "1"],
        ["Closed as late (idea)", "Closed", "1"],
        ["Funded", "Closed", "1"],
    ]
    assert table(page, "money") == [
        ["Sum", "Amount", "Share of the budget"],
        ["Budget of the call", "€7,000,000", "100%"],
        ["Applied for, all applications", "€950,000", "14%"],
        ["Applied for, applications still open", "€650,000", "9%"],
        ["Granted", "€300,000", "4%"],
        ["Reserved: Theme networks of regional cities", "€1,000,000", "14%"],
        ["Applied for by regional-city networks", "€0", "0%"],
    ]
    assert table(page, "objects")[1:] == [
        ["Theme network", "2", "2", "€700,000"],
        ["Growth zone", "2", "1", "€250,000"],
        ["Not chosen yet", "1", "0", "€0"],
    ]
    assert table(page, "regions")[1:] == [
        ["Pirkanmaa", "2", "2", "€650,000"],
        ["Lapland", "2", "1", "€300,000"],
        ["North Savo", "1", "0", "€0"],  # Statistics Finland's English name
    ]
    assert "<dd>€950,000 by 3 applications, 14% of the budget</dd>" in page
    assert "<dd>5: 3 open, 2 closed</dd>" in page


def test_each_bar_is_as_long_as_its_figure_over_the_largest(signed_in, cases):
    page = signed_in("decision_maker").get(URL).get_data(as_text=True)

    chart = page.split('id="chart-objects-heading"')[1].split("</svg>")[0]
    assert re.findall(r'<rect class="bar"[^>]* width="([\d.]+)"', chart) == [
        "440.0",
        "157.1",
        "0.0",
    ]
    assert '<svg class="bar-chart" role="img" aria-labelledby="chart-objects-title"' in chart


def test_staff_may_see_the_overview_and_applicants_may_not(signed_in, cases, client):
    for username in ("specialist", "decision_maker", "process_owner", "admin"):
        assert signed_in(username).get(URL).status_code == 200
    assert signed_in("applicant").get(URL).status_code == 403
    assert client.get(URL).status_code == 302  # to the login page
    assert signed_in("specialist").get("/calls/no-such-call/overview").status_code == 404


def test_a_call_without_cases_says_so(signed_in, demo):
    page = signed_in("specialist").get(URL).get_data(as_text=True)

    assert page.count("No cases yet.") == 3  # phases, objects, regions; the budget is drawn
    assert "<dd>0: 0 open, 0 closed</dd>" in page


ENGLISH_TEXTS = [
    "Cases by phase",
    "Applied for against the budget",
    "Applied for by application object",
    "Applied for by region",
    "Bar chart",
    "the figures",
    "Open or closed",
    "Share of the budget",
    "Budget of the call",
    "Not chosen yet",
    "applications still open",
    "Waiting for",
    ">Open<",
    ">Closed<",
    ">Funded<",
    "Overview:",
]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (FINNISH, ["Asiat vaiheittain", "Odottaa: Rahoituspäätös", "950\u00a0000", "14\u00a0%"]),
        (
            SWEDISH,
            ["Ärenden per fas", "Väntar på: Finansieringsbeslut", "950\u00a0000", "14\u00a0%"],
        ),
    ],
)
def test_the_page_is_in_finnish_and_swedish_without_english_left(
    signed_in, cases, headers, expected
):
    page = signed_in("specialist").get(URL, headers=headers).get_data(as_text=True)

    assert [text for text in expected if text not in page] == []
    assert [text for text in ENGLISH_TEXTS if text in page] == []


def test_the_call_management_and_the_filtered_case_list_link_to_the_overview(signed_in, cases):
    assert f'href="{URL}"' in signed_in("process_owner").get(f"/calls/{KEY}/manage").get_data(
        as_text=True
    )
    specialist = signed_in("specialist")
    assert f'href="{URL}"' in specialist.get(f"/cases?call={KEY}").get_data(as_text=True)
    assert f'href="{URL}"' not in specialist.get("/cases").get_data(as_text=True)
