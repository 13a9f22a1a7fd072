"""axe-core (from npm) on the main pages of each role: no serious or critical WCAG violations."""

from __future__ import annotations

import pytest

from tests.browser.axe import violations


@pytest.mark.parametrize(
    ("user", "path"),
    [
        (None, "/login"),
        (None, "/register"),
        ("applicant", "/cases"),
        ("applicant", "/tasks"),
        ("specialist", "/tasks"),
        ("specialist", "/cases"),
        ("applicant", "/notices"),
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
    page.get_by_role("button", name="Start an application").click()
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
    page.get_by_role("button", name="Start an application").click()
    page.get_by_role("button", name="Save draft").click()
    page.goto("/cases/1")
    page.wait_for_load_state("networkidle")  # the diagram is drawn
    assert violations(page) == []
    page.goto("/cases/1/attachments")
    assert violations(page) == []
    owner = as_user("process_owner")
    owner.goto("/calls/regional-networks-2021/clock")
    assert violations(owner) == []
