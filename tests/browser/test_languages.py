"""The language switch in the header, in a real Chromium: Finnish, then Swedish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import violations
from tests.browser.conftest import START_2021

pytestmark = pytest.mark.browser
SHIPPED_FINNISH = Path(__file__).resolve().parents[2] / "bpmn" / "translations" / "fi.json"


def shipped_finnish() -> dict[str, str]:
    """The Finnish catalog of the shipped process (bpmn/translations/fi.json)."""
    assert SHIPPED_FINNISH.is_file(), f"the shipped Finnish catalog {SHIPPED_FINNISH} is missing"
    catalog: dict[str, str] = json.loads(SHIPPED_FINNISH.read_text("utf-8"))
    return catalog


def test_an_applicant_switches_their_applications_to_finnish_then_swedish(as_user, screenshot):
    applicant = as_user("applicant")
    applicant.goto("/cases")
    applicant.get_by_role("button", name=START_2021).click()
    applicant.goto("/")  # an applicant's home: their applications
    expect(applicant.get_by_role("heading", level=1)).to_have_text("My applications")

    applicant.get_by_role("button", name="Suomi").click()

    expect(applicant.locator("html")).to_have_attribute("lang", "fi")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Omat hakemukset")
    expect(applicant.get_by_role("heading", name="Odottaa sinua")).to_be_visible()
    expect(applicant.get_by_role("link", name="Omat hakemukset")).to_have_attribute(
        "aria-current", "page"
    )
    expect(applicant.get_by_role("link", name="Oma organisaatio", exact=True)).to_be_visible()
    expect(applicant.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    expect(applicant.get_by_role("button", name="Suomi")).to_have_attribute("aria-current", "true")
    screenshot(applicant, "applicant-applications-in-finnish", full_page=False)
    assert violations(applicant) == []

    finnish = shipped_finnish()
    task = finnish["Write and send the idea proposal"]
    applicant.get_by_role("link", name=task, exact=True).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(task)
    expect(applicant.locator('label[for="f-project_name"]')).to_contain_text(
        finnish["Project name"]
    )
    screenshot(applicant, "applicant-idea-form-in-finnish")
    assert violations(applicant) == []
    applicant.goto("/my-applications")

    applicant.get_by_role("button", name="Svenska").click()

    expect(applicant.locator("html")).to_have_attribute("lang", "sv")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Mina ansökningar")
    expect(applicant.get_by_role("heading", name="Väntar på dig")).to_be_visible()
    expect(applicant.get_by_role("button", name="Logga ut")).to_be_visible()
    screenshot(applicant, "applicant-applications-in-swedish", full_page=False)

    applicant.goto("/cases")  # the choice stays for the next pages
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Ärenden")
