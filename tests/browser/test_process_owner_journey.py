"""A process owner changes the process in the browser, deploys it, migrates a running case and
rehearses a draft, while applicants work on real cases."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from tests.browser.axe import violations
from tests.browser.test_process_editor import click_on_diagram, open_modeler
from workflows.models import ProcessVersion

pytestmark = pytest.mark.browser


def start_application(page: Page, call_title: str | None = None) -> None:
    page.goto("/cases")
    card = page.locator(".card").filter(has_text=call_title) if call_title else page
    card.get_by_role("button", name="Start an application").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write and send the idea proposal")


def versions_of_cases(app: Flask) -> dict[int, str]:
    with app.app_context():
        return {
            case.id: case.instance.version.content_hash
            for case in db.session.scalars(select(Case).order_by(Case.id))
        }


def version_row(page: Page, number: int) -> list[str]:
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=f"Version {number}")
    )
    return row.locator("td").all_inner_texts()


def test_the_owner_edits_deploys_and_migrates_while_a_running_case_stays_on_its_version(
    app: Flask, as_user: Callable[..., Page], screenshot: Callable[..., Any]
) -> None:
    applicant = as_user("applicant")
    start_application(applicant)  # case 1, on the first version

    owner = as_user("process_owner")
    owner.goto("/processes/models/two-phase-funding")
    screenshot(owner, "process-library")
    assert violations(owner) == []
    owner.get_by_label("Start a draft from the current version").fill("Shorter screening name")
    owner.get_by_role("button", name="New draft").click()
    draft_url = owner.url
    assert violations(owner) == []

    open_modeler(owner, "funding_application.bpmn")
    click_on_diagram(owner, "screen_idea")
    owner.get_by_label("Name", exact=True).fill("Screen the idea")
    owner.get_by_label("Name", exact=True).press("Enter")
    owner.get_by_role("button", name="Save", exact=True).click()
    expect(owner.locator("#modeler-status")).to_contain_text("Saved.")

    owner.goto(draft_url)
    owner.get_by_role("row").filter(has_text="forms/screening.json").get_by_role(
        "link", name="Edit the form"
    ).click()
    source = owner.get_by_label("JSON Schema")
    schema = json.loads(source.input_value())
    schema["properties"]["meeting_notes"] = {"type": "string", "title": "Notes from the meeting"}
    source.fill(json.dumps(schema, indent=2))
    # the preview is drawn by the server after a pause in typing: slow when the machine is busy
    preview = owner.locator("#preview-form").get_by_label("Notes from the meeting")
    expect(preview).to_be_visible(timeout=30_000)
    owner.get_by_role("button", name="Save", exact=True).click()
    expect(owner.locator("#form-status")).to_contain_text("Saved.")

    owner.goto(draft_url)
    expect(owner.get_by_role("status")).to_contain_text("The files pass every check")
    owner.get_by_role("button", name="Deploy").click()
    heading = owner.get_by_role("heading", level=1)
    expect(heading).to_have_text("Version 2 of Two-phase funding call")
    expect(owner.locator(".flash-success")).to_contain_text("running cases stay on their version")
    screenshot(owner, "process-version")
    assert violations(owner) == []
    owner.get_by_role("button", name="Compare").click()
    # the renamed task and the new form field; nothing the modeler merely re-wrote
    expect(owner.locator(".diff-table caption")).to_have_text("2 elements differ")
    expect(owner.locator(".diff-table")).to_contain_text("Screen the idea")
    expect(owner.locator(".diff-table")).to_contain_text("meeting_notes")
    screenshot(owner, "process-compare")
    assert violations(owner) == []

    second = as_user("applicant2")
    start_application(second)  # case 2, on the new version
    with app.app_context():
        first_hash, new_hash = (
            v.content_hash
            for v in db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.id))
        )
    assert versions_of_cases(app) == {1: first_hash, 2: new_hash}

    owner.goto("/processes/models/two-phase-funding")
    # running cases / all cases: case 1 on version 1, case 2 on version 2
    assert version_row(owner, 1)[3:5] == ["1", "1"]
    assert version_row(owner, 2)[3:6] == ["1", "1", "current"]

    owner.get_by_role("rowheader", name="Version 1").get_by_role("link").click()
    owner.get_by_role("link", name="Migrate running cases to another version").click()
    rows = owner.get_by_role("row")
    expect(rows.filter(has_text="City of Tampere")).to_contain_text("Can move")
    for box in owner.get_by_label("Call process of").all():  # only the case moves
        box.uncheck()
    screenshot(owner, "process-migration-check")
    assert violations(owner) == []
    owner.get_by_role("button", name="Migrate the chosen cases").click()
    expect(owner.get_by_role("status").filter(has_text="Result")).to_contain_text(
        f"Migrated to version {new_hash[:12]}"
    )
    assert versions_of_cases(app) == {1: new_hash, 2: new_hash}


def test_a_rehearsal_call_runs_a_draft_and_is_discarded(
    app: Flask, as_user: Callable[..., Page], screenshot: Callable[..., Any]
) -> None:
    owner = as_user("process_owner")
    owner.goto("/processes/models/two-phase-funding")
    owner.get_by_role("button", name="New draft").click()
    owner.get_by_role("button", name="Start a rehearsal call").click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Rehearsal of")
    expect(owner.locator(".rehearsal-banner")).to_contain_text("runs on a rehearsal clock")

    applicant = as_user("applicant")
    start_application(applicant, call_title="Rehearsal of")
    applicant.goto("/tasks")
    expect(applicant.get_by_role("link", name="Write and send the idea proposal")).to_have_count(1)

    owner.goto("/processes/models/two-phase-funding")
    screenshot(owner, "process-library-with-rehearsal")
    owner.get_by_role("button", name="Discard").click()
    expect(owner.locator(".flash-success")).to_contain_text("was discarded")
    applicant.goto("/cases")
    expect(applicant.locator("main")).not_to_contain_text("Rehearsal of")
    applicant.goto("/tasks")
    expect(applicant.get_by_role("link", name="Write and send the idea proposal")).to_have_count(0)
