"""A Swedish-speaking applicant from registration to the decision letter, in a real Chromium:
the pages are in Swedish all the way (the staff work in English beside them), money is written
as Swedish writes it, and the decision letter PDF is in Swedish, the language of the case."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.axe import violations
from tests.browser.test_journeys import (
    APPLICATION_DEADLINE_PASSED,
    IDEA_DEADLINE_PASSED,
    Partner,
    approve,
    evaluate,
    fill_application,
    fill_idea,
    open_task,
    send,
)

pytestmark = pytest.mark.browser

# What the helpers of tests/browser/test_journeys.py look for, as the Swedish pages say it.
SWEDISH = {
    "Save and add another partner": "Spara och lägg till en rad (partner)",
    "Partner": "Partner",
    "Organisation name": "Organisationens namn",
    "Organisation type": "Organisationstyp",
    "Municipality": "Kommun",
    "Region (maakunta)": "Landskap",
    "Contact person": "Kontaktperson",
    "Contact person's email": "Kontaktpersonens e-postadress",
    "Project name": "Projektets namn",
    "Application object": "Ansökningsobjekt",
    "Theme network": "Temanätverk",
    "Summary of the idea": "Sammanfattning av idén",
    "Estimated funding to apply for (EUR)": "Uppskattad finansiering som ska sökas (EUR)",
    "Project plan": "Projektplan",
    "Funding applied for 2021 (EUR)": "Sökt finansiering 2021 (EUR)",
    "Funding applied for 2022 (EUR)": "Sökt finansiering 2022 (EUR)",
    "Funding applied for 2023 (EUR)": "Sökt finansiering 2023 (EUR)",
    "Co-funding by the participants (EUR)": "Deltagarnas medfinansiering (EUR)",
    "Send": "Skicka",
}
SENT = re.compile(r"skickades|Mottaget\. Diarienummer")
# The partners and their places by their Swedish names (Statistics Finland's classification).
PARTNERS: list[Partner] = [
    ("Nokia stad", ("Birkaland", "06"), ("Nokia", "536"), ("Niina N", "niina@nokia.example")),
    ("Orivesi stad", ("Birkaland", "06"), ("Orivesi", "562"), ("Olli O", "olli@orivesi.example")),
    (
        "Janakkala kommun",
        ("Egentliga Tavastland", "05"),
        ("Janakkala", "165"),
        ("Jaana J", "jaana@janakkala.example"),
    ),
]
PROJECT = "Kustens tillväxtkorridor"
START_2021 = re.compile(r"^Påbörja en ansökan\W+Nätverkssamarbete mellan regioner.*2021–2023$")


def swedish(text: str) -> str:
    return SWEDISH[text]


def register(page: Page) -> None:
    """Register Vasa stad in Swedish, with Swedish as the language of its cases."""
    page.goto("/calls")
    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("link", name="Registrera", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en sökande organisation")
    page.get_by_label(re.compile(r"^Organisation \(obligatorisk\)")).fill("Vasa stad")
    page.get_by_label("Typ av organisation").select_option(label="Kommun")
    page.get_by_label(re.compile(r"^FO-nummer")).fill("2345678-0")
    page.get_by_label("Landskap").select_option(label="Österbotten")
    page.get_by_label("Kommun", exact=True).select_option(label="Vasa")
    page.get_by_label(re.compile(r"^Ditt namn")).fill("Sara Sökande")
    page.get_by_label(re.compile(r"^E-post")).fill("sara@vasa.example")
    page.get_by_label(re.compile(r"^Användarnamn")).fill("sara")
    page.get_by_label("Språket i dina ärenden").select_option(label="Svenska")
    page.get_by_label("Lösenord", exact=True).fill("Kustens korridor 2021")
    page.get_by_label("Lösenordet igen").fill("Kustens korridor 2021")
    assert violations(page) == []
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Välkommen. Vasa stad är registrerad.")


def test_a_swedish_applicant_registers_applies_and_reads_the_decision_in_swedish(
    new_context, as_user, move_clock, screenshot
):
    applicant = new_context().new_page()
    register(applicant)
    applicant.get_by_role("button", name=START_2021).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Skriv och skicka idéförslaget")
    fill_idea(
        applicant,
        PROJECT,
        PARTNERS,
        swedish,
        summary="Fyra kommuner i tre landskap utvecklar ett gemensamt tema.",
    )
    assert violations(applicant) == []
    send(applicant, swedish, SENT)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Idéförslag")
    expect(applicant.locator(".facts")).to_contain_text("VN/1/2021-1")
    assert violations(applicant) == []
    screenshot(applicant, "swedish-applicant-receipt")
    applicant.locator(".breadcrumb a").click()
    case_url = applicant.url

    move_clock(IDEA_DEADLINE_PASSED)
    specialist = as_user("specialist")  # the staff work in English
    open_task(specialist, "Screen the idea proposal")
    expect(specialist.locator(".instructions")).to_contain_text("eligible")
    specialist.get_by_label("Compatible with AKKE appropriation").check()
    specialist.get_by_label("Invite to apply").check()
    send(specialist)

    applicant.goto(case_url)
    expect(applicant.get_by_role("heading", name="Inbjudan till webbinariet")).to_be_visible()
    applicant.get_by_role("link", name="Skriv och skicka ansökan").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Skriv och skicka ansökan")
    fill_application(applicant, swedish, plan="Gemensamma tjänster för fyra kommuner.")
    assert violations(applicant) == []
    send(applicant, swedish, SENT)

    move_clock(APPLICATION_DEADLINE_PASSED)
    open_task(specialist, "Check the application is complete")
    expect(specialist.locator(".instructions")).to_contain_text(
        "case number VN/1/2021, amount applied for €400,000"
    )
    specialist.get_by_label("The application is complete").check()
    send(specialist)
    evaluate(specialist)
    evaluate(as_user("evaluator"))
    open_task(specialist, "Rank the applications and propose amounts")
    specialist.get_by_label("Proposed amount for Vasa stad").fill("300000")
    specialist.get_by_label("Justification for Vasa stad").fill("Ett starkt nätverk.")
    specialist.get_by_label("Memo for the decision maker").fill("En ansökan.")
    send(specialist)
    decision_maker = as_user("decision_maker")
    open_task(decision_maker, "Decide the funding")
    approve(decision_maker)

    applicant.goto(case_url)
    expect(applicant.locator("html")).to_have_attribute("lang", "sv")
    expect(applicant.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    expect(applicant.locator(".case-status")).to_have_text("Finansiering beviljad")
    expect(applicant.locator(".facts")).to_contain_text("Beviljat belopp")
    expect(applicant.locator(".facts")).to_contain_text("300\u00a0000\u00a0€")
    assert violations(applicant) == []
    screenshot(applicant, "swedish-applicant-case-funded")
    applicant.get_by_role("link", name="Beslut", exact=True).click()
    letter_page = applicant.locator(".letter")
    expect(letter_page).to_contain_text("Beslut: Finansiering beviljas")
    expect(letter_page).to_contain_text("Beviljat belopp: 300\u00a0000\u00a0€")
    assert violations(applicant) == []
    pdf_link = applicant.get_by_role("link", name=re.compile(r"^Beslutsbrevet \(PDF"))
    letter = applicant.request.get(pdf_link.get_attribute("href") or "")
    assert letter.headers["content-type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.body())).pages).split()
    )
    for said in (
        "BESLUT",
        f"beviljar sökanden statsunderstöd på högst 300 000 € för projektet {PROJECT}",
        "Undertecknad av: Minister Mika Lintilä",
        "Anvisning om begäran om omprövning",
        "inom 30 dagar",
    ):
        assert said in text, said
    for english in ("DECISION", "Signed by", "grant of at most", "Request for review"):
        assert english not in text, english
