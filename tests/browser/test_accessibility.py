"""axe-core (from npm) on the main pages of each role: no serious or critical WCAG violations."""

from __future__ import annotations

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import START_2021

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/login"),
        (None, "/register"),
        ("applicant", "/cases"),
        ("applicant", "/tasks"),
        ("applicant", "/my-applications"),
        ("specialist", "/tasks"),
        ("specialist", "/cases"),
        ("applicant", "/notices"),
        (None, "/calls"),
        (None, "/calls/regional-networks-2021"),
        ("applicant", "/start"),
        ("process_owner", "/calls/manage"),
        ("process_owner", "/calls/regional-networks-2021/manage"),
        ("process_owner", "/calls/regional-networks-2021/copy"),
        ("process_owner", "/calls/new"),
        ("process_owner", "/calls/import"),
        ("process_owner", "/processes/"),
        ("process_owner", "/processes/models/new"),
        ("process_owner", "/processes/models/two-phase-funding"),
    ],
)
def test_main_pages_have_no_serious_accessibility_violations(
    as_user, new_context, live_server, user, path
):
    page = as_user(user) if user else new_context().new_page()
    page.goto(path)
    assert violations(page) == []


def test_the_idea_form_and_its_errors_have_no_serious_accessibility_violations(as_user):
    page = as_user("applicant")
    page.goto("/cases")
    page.get_by_role("button", name=START_2021).click()
    assert violations(page) == []
    page.get_by_role("button", name="Send", exact=True).click()
    assert violations(page) == []


def test_the_check_does_find_a_violation(as_user):
    page = as_user("applicant")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x\">')"
    )
    assert any(found.startswith("image-alt") for found in violations(page))


def test_the_receipt_case_and_clock_pages_have_no_serious_accessibility_violations(as_user):
    page = as_user("applicant")
    page.goto("/cases")
    page.get_by_role("button", name=START_2021).click()
    page.get_by_role("button", name="Save draft").click()
    page.goto("/cases/1")
    page.wait_for_load_state("networkidle")  # the diagram is drawn
    assert violations(page) == []
    page.goto("/cases/1/attachments")
    assert violations(page) == []
    owner = as_user("process_owner")
    owner.goto("/calls/regional-networks-2021/clock")
    assert violations(owner) == []
