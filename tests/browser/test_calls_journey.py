"""A ministry's next call, made in the browser: the process owner copies a call, changes its
dates, money and evaluators and publishes it; an applicant finds it on the public page and
applies; the case runs to a decision on that call's own clock and settings while a case of
the 2021 call waits beside it. And a second, small process model, created, deployed and run."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from app.demo import DEMO_PASSWORD
from tests.browser.axe import violations
from tests.browser.conftest import START_2021
from tests.browser.test_journeys import approve, evaluate, fill_idea, send

pytestmark = pytest.mark.browser

NEW_CALL = "regional-networks-2023"
NEW_TITLE = "Network cooperation between regions: theme networks and growth zones 2023–2025"


def group(page: Page, name: str):
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(name)}( \(required\))?$"))


def set_moment(page: Page, name: str, day: str, time: str, within=None) -> None:
    """Fill a Helsinki date-and-time field (a group of a date and a time)."""
    field = group(within or page, name)
    field.get_by_label("Date").fill(day)
    field.get_by_label("Time (Helsinki)").fill(time)


def open_task(page: Page, title: str, call: str) -> None:
    page.goto(f"/tasks?call={call}")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_a_copied_call_runs_to_its_decision_beside_the_2021_call(
    as_user, new_context, move_clock, screenshot
):
    # The process owner copies the 2022 round: every date a year on, reviewed and changed.
    owner = as_user("process_owner")
    owner.goto("/calls/manage")
    owner.get_by_role("link", name=re.compile(r"^Copy\W+.*2022–2024$")).click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Copy of")
    expect(owner.get_by_label("Key of the call (required)")).to_have_value(NEW_CALL)
    phase_1 = owner.get_by_role("group", name="Phase 1", exact=True)
    expect(group(phase_1, "Deadline").get_by_label("Date")).to_have_value("2023-04-15")
    # 15.4.2023 is a Saturday: the idea call closes on the Friday before, at 16:15.
    set_moment(owner, "Deadline", "2023-04-14", "16:15", within=phase_1)
    owner.get_by_label("Budget (EUR)").fill("5000000")
    evaluators = group(owner, "Evaluators")
    evaluators.get_by_label("Eero Evaluator (evaluator)").uncheck()
    assert violations(owner) == []
    screenshot(owner, "process-owner-copies-a-call", full_page=False)
    owner.get_by_role("button", name="Save as a draft").click()
    expect(owner.get_by_role("status").filter(has_text="saved as a draft")).to_be_visible()
    expect(owner.locator(".call-status")).to_have_text("draft")
    owner.get_by_role("button", name="Publish the call").click()
    expect(owner.get_by_role("status").filter(has_text="The call is published")).to_be_visible()
    screenshot(owner, "process-owner-published-call")

    # A visitor finds the call on the public page, signs in and applies.
    visitor = new_context().new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Funding calls")
    screenshot(visitor, "public-calls")
    visitor.get_by_role("link", name=NEW_TITLE, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    deadlines = visitor.get_by_role("region", name="Deadlines")
    expect(deadlines).to_contain_text("14.4.2023 16:15 (UTC+03:00)")
    expect(visitor.get_by_role("main")).to_contain_text("€5,000,000")
    assert violations(visitor) == []
    screenshot(visitor, "public-call-page")
    visitor.get_by_role("link", name="Sign in to apply").click()
    visitor.get_by_label("Username").fill("applicant")
    visitor.get_by_label("Password").fill(DEMO_PASSWORD)
    visitor.get_by_role("button", name="Sign in").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    visitor.get_by_role("button", name="Start an application").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Write and send the idea proposal")
    fill_idea(visitor, project_name="Lakeland network 2023")
    send(visitor)
    expect(visitor.locator(".facts")).to_contain_text("VN/1/2023")
    case_2023 = visitor.locator(".breadcrumb a").get_attribute("href")

    # Beside it, a case of the 2021 call.
    other = as_user("applicant2")
    other.goto("/cases")
    other.get_by_role("button", name=START_2021).click()
    fill_idea(other, project_name="Arctic network 2021")
    send(other)
    expect(other.locator(".facts")).to_contain_text("VN/1/2021")
    case_2021 = other.locator(".breadcrumb a").get_attribute("href")

    # The 2023 call's clock passes its idea deadline; the 2021 call's does not move.
    move_clock("2023-04-14T16:15:01+03:00", key=NEW_CALL)
    visitor.goto(case_2023)
    expect(visitor.get_by_role("heading", name="Webinar invitation")).to_be_visible()
    other.goto(case_2021)
    expect(other.get_by_role("main")).to_contain_text("Waiting for the webinar invitation")

    specialist = as_user("specialist")
    open_task(specialist, "Screen the idea proposal", NEW_CALL)
    specialist.get_by_label("Compatible with AKKE appropriation").check()
    specialist.get_by_label("Invite to apply").check()
    send(specialist)

    visitor.goto(case_2023)
    visitor.get_by_role("link", name="Write and send the application").click()
    visitor.get_by_label("Project plan").fill("Shared services for four municipalities.")
    for year, amount in [("2021", "100000"), ("2022", "150000"), ("2023", "150000")]:
        visitor.get_by_label(f"Funding applied for {year} (EUR)").fill(amount)
    visitor.get_by_label("Co-funding by the participants (EUR)").fill("40000")
    visitor.get_by_label("Contact person", exact=False).first.fill("Anna Applicant")
    visitor.get_by_label("Contact person's email").fill("anna@tampere.example")
    send(visitor)

    move_clock("2023-06-02T16:15:01+03:00", key=NEW_CALL)
    open_task(specialist, "Check the application is complete", NEW_CALL)
    specialist.get_by_label("The application is complete").check()
    send(specialist)
    evaluate(specialist)  # the only evaluator of this call
    evaluator = as_user("evaluator")
    evaluator.goto(f"/tasks?call={NEW_CALL}")
    expect(evaluator.get_by_role("link", name="Evaluate the application")).to_have_count(0)

    open_task(specialist, "Rank the applications and propose amounts", NEW_CALL)
    expect(specialist.locator(".ranking-totals")).to_contain_text("€5,000,000")
    expect(specialist.locator(".ranking-table tbody tr")).to_have_count(1)
    specialist.get_by_label("Proposed amount for City of Tampere").fill("300000")
    specialist.get_by_label("Justification for City of Tampere").fill("Strong")
    specialist.get_by_label("Memo for the decision maker").fill("One application.")
    send(specialist)

    decision_maker = as_user("decision_maker")
    open_task(decision_maker, "Decide the funding", NEW_CALL)
    approve(decision_maker)

    visitor.goto(case_2023)
    expect(visitor.locator(".case-status")).to_have_text("Funded")
    expect(visitor.locator(".facts")).to_contain_text("€300,000")
    other.goto(case_2021)
    expect(other.get_by_role("main")).to_contain_text("Waiting for the webinar invitation")


REQUEST_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Answer the request",
    "type": "object",
    "required": ["question", "answer"],
    "properties": {
        "question": {"type": "string", "title": "Question", "maxLength": 2000},
        "answer": {"type": "string", "title": "Answer", "maxLength": 5000},
    },
}


def test_a_new_small_process_model_is_deployed_and_a_specialist_completes_a_case(
    as_user, screenshot
):
    owner = as_user("process_owner")
    owner.goto("/processes/")
    owner.get_by_role("link", name="New process model").click()
    owner.get_by_label("Id (required)").fill("request-for-information")
    names = group(owner, "Name")
    names.get_by_label("In Finnish").fill("Tietopyyntö")
    names.get_by_label("In Swedish").fill("Begäran om information")
    names.get_by_label("In English").fill("Request for information")
    owner.get_by_label("Specialists").check()
    owner.get_by_label("Case process (required)").fill("request_for_information")
    assert violations(owner) == []
    screenshot(owner, "process-owner-new-model", full_page=False)
    owner.get_by_role("button", name="Create the model and its first draft").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Draft: First version")

    # Its one task gets a form of its own: question and answer.
    owner.get_by_role("link", name="Edit as text forms/first_task.json").click()
    owner.get_by_label("Content").fill(json.dumps(REQUEST_FORM, indent=2))
    owner.get_by_role("button", name="Save").click()
    expect(owner.get_by_role("status").filter(has_text="first_task.json saved")).to_be_visible()
    owner.get_by_role("button", name="Deploy").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Version 1 of Request for information"
    )

    specialist = as_user("specialist")
    specialist.goto("/start")
    expect(specialist.get_by_role("heading", name="Request for information")).to_be_visible()
    specialist.get_by_role("button", name=re.compile(r"^Start\W+Request for information$")).click()
    expect(specialist.get_by_role("heading", level=1)).to_have_text("Handle the case")
    specialist.get_by_label("Question").fill("When is the webinar of the 2022 round?")
    specialist.get_by_label("Answer").fill("On 20.4.2022 at 12:30.")
    specialist.get_by_role("button", name="Send", exact=True).click()
    expect(specialist.get_by_role("status").filter(has_text="was sent")).to_be_visible()
    expect(specialist.locator(".case-status")).to_have_text("Case done")
