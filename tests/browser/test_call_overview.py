"""The specialist opens a call's overview from the case list: the cases by phase and the sums
applied for, drawn as bar charts whose figures are in tables (WCAG 2.1 AA, checked by axe)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.bpmn.conftest import Rehearsal
from tests.browser.axe import violations
from tests.browser.conftest import DEMO_CALL

pytestmark = pytest.mark.browser

SCREEN_PROCEED = {"akke_compatible": True, "screening_result": "proceed"}


@pytest.fixture
def applied(app, live_server, make_user, make_organisation):
    """The 2021 call in May 2021, driven as its users would: two applications sent (a theme
    network from Pirkanmaa, a growth zone from Lapland), one case closed without an idea."""
    with app.app_context():
        walk = Rehearsal(db.session, make_user, make_organisation)
        walk.applicant("applicant_c", "City of Seinäjoki", "Etelä-Pohjanmaa", "Seinäjoki")
        lakeland, arctic, silent = (
            walk.start(name) for name in ("applicant", "applicant2", "applicant_c")
        )
        walk.move_clock("2021-04-01 10:00:00")
        walk.send("send_idea_proposal", walk.idea("Lakeland network"), "applicant", lakeland)
        arctic_idea = walk.idea("Arctic zone", application_object="growth_zone")
        walk.send("send_idea_proposal", arctic_idea, "applicant2", arctic)
        walk.move_clock("2021-04-15 16:15:01")  # the silent case closes as late
        for case in (lakeland, arctic):
            walk.send("screen_idea", SCREEN_PROCEED, "specialist", case)
        walk.move_clock("2021-05-10 10:00:00")
        walk.send(
            "send_application", walk.application((100000, 150000, 150000)), "applicant", lakeland
        )
        walk.send(
            "send_application", walk.application((50000, 100000, 100000)), "applicant2", arctic
        )
        assert silent.closed


def rows(page: Page, caption: str) -> list[list[str]]:
    table = page.get_by_role("table", name=caption)
    return [row.locator("th, td").all_inner_texts() for row in table.locator("tbody tr").all()]


def test_the_specialist_reads_the_calls_overview_as_charts_and_tables(as_user, applied, screenshot):
    specialist = as_user("specialist")
    specialist.goto(f"/cases?call={DEMO_CALL}")
    specialist.get_by_role("link", name=re.compile(r"^The overview of the call")).click()

    expect(specialist.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Overview: Network cooperation between regions")
    )
    expect(
        specialist.get_by_role("img", name=re.compile(r"^Bar chart: Cases by phase\."))
    ).to_be_visible()
    assert rows(specialist, "Cases by phase: the figures") == [
        ["Check the application is complete", "Open", "2"],
        ["Closed as late (idea)", "Closed", "1"],
    ]
    assert rows(specialist, "Applied for by application object: the figures") == [
        ["Theme network", "1", "1", "€400,000"],
        ["Growth zone", "1", "1", "€250,000"],
        ["Not chosen yet", "1", "0", "€0"],
    ]
    assert rows(specialist, "Applied for by region of the lead organisation: the figures") == [
        ["Pirkanmaa", "1", "1", "€400,000"],
        ["Lapland", "1", "1", "€250,000"],
        ["Etelä-Pohjanmaa", "1", "0", "€0"],
    ]
    budget = rows(specialist, "Applied for against the budget: the figures")
    assert budget[:2] == [
        ["Budget of the call", "€7,000,000", "100%"],
        ["Applied for, all applications", "€650,000", "9%"],
    ]
    assert violations(specialist) == []
    screenshot(specialist, "call-overview")
