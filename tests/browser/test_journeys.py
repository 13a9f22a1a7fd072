"""Journeys through the demo call in a real Chromium, each person in a browser context of their
own. Screenshots of the main pages of each role go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Keyboard, Locator, Page, expect
from pypdf import PdfReader

from tests.browser.axe import violations
from tests.browser.conftest import SCREENSHOTS, START_2021

pytestmark = pytest.mark.browser

IDEA_DEADLINE_PASSED = "2021-04-15T16:15:01+03:00"
APPLICATION_DEADLINE_PASSED = "2021-06-02T16:15:01+03:00"
# Organisation, region and municipality as the form lists them (Statistics Finland's names),
# and the codes the form sends for them; the contact person and the address the webinar
# invitation and the decision go to.
Partner = tuple[str, tuple[str, str], tuple[str, str], tuple[str, str]]
PARTNERS: list[Partner] = [
    ("City of Nokia", ("Pirkanmaa", "06"), ("Nokia", "536"), ("Niina N", "niina@nokia.example")),
    (
        "City of Orivesi",
        ("Pirkanmaa", "06"),
        ("Orivesi", "562"),
        ("Olli O", "olli@orivesi.example"),
    ),
    (
        "Municipality of Janakkala",
        ("Kanta-Häme", "05"),
        ("Janakkala", "165"),
        ("Jaana J", "jaana@janakkala.example"),
    ),
]
SENT = re.compile(r"was sent|Received\. Case number")
IDEA_TASK = "Write and send the idea proposal"


def as_written(text: str) -> str:
    """A text of the helpers below as an English page shows it (another language's journey
    passes its own: the same steps, the labels its pages show)."""
    return text


def start_application(page: Page) -> None:
    page.goto("/cases")
    page.get_by_role("button", name=START_2021).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(IDEA_TASK)


def add_partners(
    page: Page, partners: list[Partner] = PARTNERS, say: Callable[[str], str] = as_written
) -> None:
    """Fill one partner row at a time, pressing "Save and add another partner" in between."""
    for index, (name, region, municipality, contact) in enumerate(partners):
        if index:
            page.get_by_role("button", name=say("Save and add another partner")).click()
        row = page.get_by_role("group", name=f"{say('Partner')} {index + 1}", exact=True)
        row.get_by_label(say("Organisation name")).fill(name)
        row.get_by_label(say("Organisation type")).select_option(label=say("Municipality"))
        row.get_by_label(say("Region (maakunta)")).select_option(label=region[0])
        row.get_by_label(say("Municipality"), exact=True).select_option(label=municipality[0])
        row.get_by_label(say("Contact person"), exact=True).fill(contact[0])
        row.get_by_label(say("Contact person's email")).fill(contact[1])


def type_keys(keyboard: Keyboard, text: str) -> None:
    """Type ``text`` into a closed <select>, which picks the option typed, up to its first
    letter a US keyboard lacks: Playwright only inserts such letters (ä, ö) as text, and a
    select reads key presses. The partners' places are told apart before such a letter."""
    typed = re.match(r"[ -~]*", text)
    keyboard.type(typed.group() if typed else "")


def fill_idea(
    page: Page,
    project_name: str = "Lakeland growth corridor",
    partners: list[Partner] = PARTNERS,
    say: Callable[[str], str] = as_written,
    summary: str = "Four municipalities in two regions develop a shared theme.",
) -> None:
    page.get_by_label(say("Project name")).fill(project_name)
    page.get_by_label(say("Application object")).select_option(label=say("Theme network"))
    add_partners(page, partners, say)
    page.get_by_label(say("Summary of the idea")).fill(summary)
    page.get_by_label(say("Estimated funding to apply for (EUR)")).fill("400000")


def fill_application(
    page: Page, say: Callable[[str], str] = as_written, plan: str = "Shared services."
) -> None:
    """The application of 400 000 euros over three years, with its contact person."""
    page.get_by_label(say("Project plan")).fill(plan)
    for year, amount in [("2021", "100000"), ("2022", "150000"), ("2023", "150000")]:
        page.get_by_label(say(f"Funding applied for {year} (EUR)")).fill(amount)
    page.get_by_label(say("Co-funding by the participants (EUR)")).fill("40000")
    page.get_by_label(say("Contact person"), exact=False).first.fill("Anna Applicant")
    page.get_by_label(say("Contact person's email")).fill("anna@tampere.example")


def open_task(page: Page, title: str, nth: int = 0) -> None:
    page.goto("/tasks")
    page.get_by_role("link", name=title).nth(nth).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def send(page: Page, say: Callable[[str], str] = as_written, sent: re.Pattern[str] = SENT) -> None:
    page.get_by_role("button", name=say("Send"), exact=True).click()
    expect(page.get_by_role("status").filter(has_text=sent)).to_be_visible()


def fill_decision(decision_maker: Page) -> None:
    """The ministry decides; who presented and who signs."""
    decision_maker.get_by_label("The ministry").check()
    decision_maker.get_by_label("Presented by").fill("Special adviser Petra Stenfors")
    decision_maker.get_by_label("Signed by").fill("Minister Mika Lintilä")


def approve(decision_maker: Page) -> None:
    """Approve the ranking as the ministry, naming who presented and who signs."""
    fill_decision(decision_maker)
    decision_maker.get_by_role("button", name="Approve and send the decisions").click()
    expect(decision_maker.get_by_role("status").filter(has_text=SENT)).to_be_visible()


def evaluate(page: Page) -> None:
    open_task(page, "Evaluate the application")
    page.get_by_label("I have no conflict of interest with the applicant").check()
    for criterion, score in [
        ("Relevance to the goals of the call", "4"),
        ("Inter-regional cooperation", "5"),
        ("Expected impact", "4"),
        ("Feasibility of the plan", "3"),
    ]:
        page.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    page.get_by_label("Justification of the scores").fill("A convincing network.")
    send(page)


def test_the_whole_call_from_the_first_login_to_funded(as_user, move_clock, screenshot):
    applicant = as_user("applicant")
    applicant.goto("/cases")
    expect(applicant.get_by_role("heading", name="Open calls")).to_be_visible()
    screenshot(applicant, "applicant-case-list")
    start_application(applicant)
    fill_idea(applicant, project_name="")
    applicant.get_by_role("button", name="Send", exact=True).click()
    summary = applicant.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Project name")
    screenshot(applicant, "applicant-idea-form-with-an-error", full_page=False)
    applicant.get_by_label("Project name").fill("Lakeland growth corridor")
    send(applicant)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Idea proposal")
    expect(applicant.locator(".facts")).to_contain_text("VN/1/2021-1")  # in case VN/1/2021
    expect(applicant.locator(".facts")).to_contain_text("(UTC+02:00)")
    screenshot(applicant, "applicant-receipt")
    applicant.locator(".breadcrumb a").click()
    expect(applicant.locator(".facts")).to_contain_text("VN/1/2021")
    screenshot(applicant, "applicant-case-page-with-registry-number")

    move_clock(IDEA_DEADLINE_PASSED)
    applicant.reload()
    expect(applicant.get_by_role("heading", name="Webinar invitation")).to_be_visible()

    specialist = as_user("specialist")
    specialist.goto("/tasks")
    expect(specialist.get_by_role("link", name="Screen the idea proposal")).to_be_visible()
    screenshot(specialist, "specialist-my-tasks")
    open_task(specialist, "Screen the idea proposal")
    screenshot(specialist, "specialist-screening-task")
    specialist.get_by_label("Compatible with AKKE appropriation").check()
    specialist.get_by_label("Invite to apply").check()
    send(specialist)

    applicant.reload()
    applicant.get_by_role("link", name="Write and send the application").click()
    fill_application(applicant, plan="Shared services for four municipalities.")
    send(applicant)

    move_clock(APPLICATION_DEADLINE_PASSED)
    open_task(specialist, "Check the application is complete")
    specialist.get_by_label("The application is complete").check()
    send(specialist)
    evaluate(specialist)
    evaluator = as_user("evaluator")
    evaluator.goto("/cases/1/evaluations")  # independence: nobody's scores before one's own
    expect(evaluator.locator("main")).to_contain_text("Still evaluating: evaluator")
    expect(evaluator.locator(".evaluation-table")).to_have_count(0)
    open_task(evaluator, "Evaluate the application")
    expect(evaluator.locator("main")).not_to_contain_text("A convincing network.")
    assert violations(evaluator) == []
    evaluate(evaluator)
    evaluator.goto("/cases/1/evaluations")
    expect(evaluator.locator(".evaluation-table")).to_contain_text("specialist")
    assert violations(evaluator) == []

    open_task(specialist, "Rank the applications and propose amounts")
    assert violations(specialist) == []
    specialist.get_by_label("Proposed amount for City of Tampere").fill("300000")
    expect(specialist.locator("#total-other")).to_contain_text("300")
    specialist.get_by_label("Justification for City of Tampere").fill("Strong")
    specialist.get_by_label("Memo for the decision maker").fill("One application.")
    send(specialist)

    decision_maker = as_user("decision_maker")
    open_task(decision_maker, "Decide the funding")
    screenshot(decision_maker, "decision-maker-decision-task")
    assert violations(decision_maker) == []
    fill_decision(decision_maker)
    decision_maker.get_by_role("button", name="Preview the email").click()
    preview = decision_maker.locator(".email-preview")
    expect(preview).to_contain_text("Päätös rahoitushakemukseen")  # the case's language
    expect(preview.get_by_role("link", name="VN-1-2021-4.pdf")).to_be_visible()
    assert violations(decision_maker) == []
    screenshot(decision_maker, "decision-maker-email-preview")
    approve(decision_maker)  # the form is as it was typed: approving sends it

    applicant.goto("/cases")
    applicant.get_by_role("link", name="Lakeland growth corridor").click()
    expect(applicant.locator(".case-status")).to_have_text("Funded")
    expect(applicant.locator(".facts")).to_contain_text("€300,000")
    screenshot(applicant, "applicant-case-funded")
    applicant.get_by_role("link", name="Decision").click()
    expect(applicant.locator(".letter")).to_contain_text("300\u00a0000")
    pdf_link = applicant.get_by_role("link", name=re.compile(r"The decision letter \(PDF"))
    letter = applicant.request.get(pdf_link.get_attribute("href") or "")
    assert letter.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.body())).pages)
    assert "Allekirjoittaja: Minister Mika Lintilä" in " ".join(text.split())  # a Finnish case
    assert violations(applicant) == []
    first_page = pdfium.PdfDocument(letter.body())[0].render(scale=1.5).to_pil()
    first_page.save(SCREENSHOTS / "decision-letter-pdf-page-1.png")  # as the README shows it


def case_url_of(page: Page) -> str:
    """The case page linked from the breadcrumb of a task page."""
    href = page.locator(".breadcrumb a").get_attribute("href")
    assert href is not None
    return href


def test_a_send_at_the_deadline_is_refused_and_nothing_is_registered(as_user, set_clock):
    applicant = as_user("applicant")
    start_application(applicant)
    fill_idea(applicant)
    set_clock("2021-04-15T16:15:00+03:00")  # the worker has not fired the deadline timer yet
    applicant.get_by_role("button", name="Send", exact=True).click()
    expect(applicant.get_by_role("alert")).to_contain_text(
        "The deadline passed at 15.4.2021 16:15:00 (UTC+03:00): the form was not sent."
    )
    # What was typed is kept as the task's draft, not lost.
    applicant.reload()
    expect(applicant.get_by_label("Project name")).to_have_value("Lakeland growth corridor")
    applicant.goto(case_url_of(applicant))
    expect(applicant.locator(".facts")).to_contain_text("none yet")
    expect(applicant.get_by_role("region", name="Documents")).to_contain_text(
        "Nothing has been sent yet"
    )


def test_a_saved_draft_is_never_counted_as_sent(as_user, move_clock):
    applicant = as_user("applicant")
    start_application(applicant)
    applicant.get_by_label("Project name").fill("Half-written")
    applicant.get_by_role("button", name="Save draft").click()
    expect(applicant.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    case_url = case_url_of(applicant)
    move_clock(IDEA_DEADLINE_PASSED)
    applicant.goto(case_url)
    expect(applicant.locator(".case-status")).to_have_text("Closed as late (idea)")
    expect(applicant.get_by_role("region", name="Documents")).to_contain_text(
        "Nothing has been sent yet"
    )


def test_the_second_person_sending_a_completed_task_gets_a_notice(as_user, move_clock):
    applicant = as_user("applicant")
    start_application(applicant)
    fill_idea(applicant)
    send(applicant)
    move_clock(IDEA_DEADLINE_PASSED)
    first, second = as_user("specialist"), as_user("specialist")
    for page in (first, second):
        open_task(page, "Screen the idea proposal")
        page.get_by_label("Compatible with AKKE appropriation").check()
        page.get_by_label("Invite to apply").check()
    send(first)
    second.get_by_role("button", name="Send", exact=True).click()
    expect(second.get_by_role("alert")).to_contain_text("already completed")
    applicant.locator(".breadcrumb a").click()  # from the receipt to the case page
    timeline = applicant.get_by_role("region", name="Timeline")
    expect(timeline.get_by_text("Completed “Screen the idea proposal”")).to_have_count(1)


def test_an_ineligible_idea_is_flagged_before_send_and_invited_only_with_an_override(
    as_user, move_clock, screenshot
):
    applicant = as_user("applicant")
    start_application(applicant)
    fill_idea(applicant, partners=PARTNERS[:1])  # with Tampere: 2 municipalities in 1 region
    applicant.get_by_role("button", name="Check eligibility").click()
    box = applicant.get_by_role("region", name="Eligibility check")
    expect(box).to_contain_text(
        "Not eligible: Too few municipalities take part for the application object chosen."
    )
    expect(box).to_contain_text("municipalities 2, regions 1")
    expect(box).to_be_in_viewport()  # the page opens at the result, just above "Send"
    screenshot(applicant, "applicant-idea-not-eligible")
    assert violations(applicant) == []
    send(applicant)  # the applicant may disagree: it is sent all the same

    move_clock(IDEA_DEADLINE_PASSED)
    specialist = as_user("specialist")
    open_task(specialist, "Screen the idea proposal")
    expect(specialist.locator(".instructions")).to_contain_text("not eligible: Too few")
    specialist.get_by_label("Compatible with AKKE appropriation").check()
    specialist.get_by_label("Invite to apply").check()
    specialist.get_by_role("button", name="Send", exact=True).click()
    expect(specialist.get_by_role("alert")).to_contain_text(
        "The automatic check found this idea not eligible"
    )
    specialist.get_by_label("Invite although ineligible / not AKKE-compatible").check()
    specialist.get_by_label("Reason for inviting it anyway").fill(
        "Two more municipalities have committed since the deadline."
    )
    case_url = case_url_of(specialist)
    send(specialist)
    specialist.goto(case_url)
    expect(specialist.get_by_role("region", name="Timeline")).to_contain_text(
        "Invited to apply although not eligible: Two more municipalities have committed"
    )


def test_an_applicant_of_another_organisation_gets_403_for_the_case_and_the_task(as_user):
    applicant = as_user("applicant")
    start_application(applicant)
    task_url, case_url = applicant.url, case_url_of(applicant)
    other = as_user("applicant2")
    for url in (case_url, task_url):
        response = other.goto(url)
        assert response is not None and response.status == 403, url
        expect(other.get_by_role("heading", level=1)).to_have_text(
            "You do not have access to this page"
        )
        expect(other.get_by_role("main")).not_to_contain_text("Lakeland")


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width} px wide at 375 px"


def test_the_idea_form_works_with_the_keyboard_alone_on_a_small_screen(as_user, screenshot):
    applicant = as_user("applicant", viewport={"width": 375, "height": 667})
    applicant.goto("/cases")
    assert_no_horizontal_scroll(applicant)
    tab_to(applicant, applicant.get_by_role("button", name=START_2021))
    applicant.keyboard.press("Enter")
    expect(applicant.get_by_role("heading", level=1)).to_have_text(IDEA_TASK)
    assert_no_horizontal_scroll(applicant)
    screenshot(applicant, "applicant-idea-form-375px")

    keyboard = applicant.keyboard
    tab_to(applicant, applicant.get_by_label("Project name"))
    keyboard.type("Lakeland growth corridor")
    keyboard.press("Tab")
    keyboard.type("Theme")  # a closed <select> picks the option typed
    expect(applicant.get_by_label("Application object")).to_have_value("theme_network")
    for index, (name, region, municipality, contact) in enumerate(PARTNERS):
        if index:
            tab_to(applicant, applicant.get_by_role("button", name="Save and add another partner"))
            keyboard.press("Space")
        row = applicant.get_by_role("group", name=f"Partner {index + 1}", exact=True)
        tab_to(applicant, row.get_by_label("Organisation name"))
        keyboard.type(name)
        keyboard.press("Tab")
        keyboard.type("Mun")
        expect(row.get_by_label("Organisation type")).to_have_value("municipality")
        keyboard.press("Tab")
        type_keys(keyboard, region[0])  # a closed <select> picks the option typed
        expect(row.get_by_label("Region (maakunta)")).to_have_value(region[1])
        keyboard.press("Tab")
        type_keys(keyboard, municipality[0])
        expect(row.get_by_label("Municipality", exact=True)).to_have_value(municipality[1])
        keyboard.press("Tab")
        keyboard.type(contact[0])
        keyboard.press("Tab")
        keyboard.type(contact[1])
        expect(row.get_by_label("Contact person's email")).to_have_value(contact[1])
    tab_to(applicant, applicant.get_by_label("Summary of the idea"))
    keyboard.type("Four municipalities in two regions develop a shared theme.")
    keyboard.press("Tab")
    keyboard.type("400000")
    tab_to(applicant, applicant.get_by_role("button", name="Send", exact=True))
    keyboard.press("Enter")
    expect(applicant.get_by_role("status").filter(has_text=SENT)).to_be_visible()
    expect(applicant.locator(".facts")).to_contain_text("VN/1/2021")
    assert_no_horizontal_scroll(applicant)
    screenshot(applicant, "applicant-case-page-375px")
