"""The process owner edits a draft in the browser: the BPMN modeler with its details sidebar and
the form editor with its live preview. Both save through the draft file API."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from lxml import etree
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.processes.models import ProcessDraft
from tests.browser.axe import violations
from workflows.models import ProcessVersion

pytestmark = pytest.mark.browser

SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def open_new_draft(app: Flask, page: Page) -> int:
    """Make a draft of the current version (as its page's button does) and open its page."""
    with app.app_context():
        version_id = db.session.scalar(select(ProcessVersion.id).where(ProcessVersion.is_current))
    page.goto("/account")
    token = page.locator('input[name="csrf_token"]').first.input_value()
    response = page.request.post(
        f"/processes/versions/{version_id}/drafts",
        form={"csrf_token": token, "title": "Editor test"},
        max_redirects=0,
    )
    assert response.status == 302
    page.goto(response.headers["location"])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


def draft_file(app: Flask, draft_id: int, name: str) -> str:
    with app.app_context():
        draft = db.session.get(ProcessDraft, draft_id)
        assert draft is not None
        return str(draft.files[name])


def open_modeler(page: Page, name: str) -> None:
    row = page.get_by_role("row").filter(has_text=name)
    row.get_by_role("link", name="Open in the modeler").click()
    expect(page.locator("#modeler-status")).to_have_text("The diagram is open.")
    expect(page.locator("#problems-summary")).not_to_have_text("Checking the draft…")


def spiff_content(xml: str) -> Counter[tuple[Any, ...]]:
    """Every spiffworkflow element and attribute with its text, and the BPMN parts that the
    engine reads as variable names or expressions (loop data, timers, correlation)."""
    root = etree.fromstring(xml.encode())
    found: Counter[tuple[Any, ...]] = Counter()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        spiff_attrs = {k: v for k, v in node.attrib.items() if k.startswith(SPIFF)}
        if node.tag.startswith(SPIFF) or spiff_attrs:
            found[(node.tag, (node.text or "").strip(), tuple(sorted(node.attrib.items())))] += 1
        elif node.tag.removeprefix(BPMN) in {
            "loopDataInputRef",
            "loopDataOutputRef",
            "timeDate",
            "timeDuration",
            "timeCycle",
            "messagePath",
            "correlationPropertyRef",
            "script",
        }:
            found[(node.tag, (node.text or "").strip(), node.get(XSI_TYPE))] += 1
        elif node.tag.removeprefix(BPMN) in {"message", "correlationProperty", "correlationKey"}:
            found[(node.tag, tuple(sorted(node.attrib.items())))] += 1
    return found


def element_name(xml: str, element_id: str) -> str | None:
    root = etree.fromstring(xml.encode())
    return root.find(f".//*[@id='{element_id}']").get("name")


def click_on_diagram(page: Page, element_id: str) -> None:
    """Scroll the diagram to the element (as the owner would drag it into view) and click it."""
    page.evaluate("id => window.gfModeler.get('canvas').scrollToElement(id)", element_id)
    page.locator(f'.djs-element[data-element-id="{element_id}"]').click()


def selected_ids(page: Page) -> list[str]:
    return list(page.evaluate("() => window.gfModeler.get('selection').get().map(e => e.id)"))


@pytest.mark.parametrize("name", ["funding_application.bpmn", "funding_call.bpmn"])
def test_the_modeler_keeps_every_spiffworkflow_extension_of_the_shipped_files(
    app: Flask, as_user: Callable[..., Page], name: str
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    open_modeler(page, name)
    exported = page.evaluate("() => window.gfModeler.saveXML({format: true}).then(r => r.xml)")
    original = draft_file(app, draft_id, name)
    assert spiff_content(exported) == spiff_content(original)
    assert sum(spiff_content(original).values()) > 10
    assert page.locator("#modeler-alert").is_hidden()


def test_the_owner_renames_a_task_in_the_sidebar_and_saves(
    app: Flask, as_user: Callable[..., Page], screenshot: Callable[..., Any]
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    original = draft_file(app, draft_id, "funding_application.bpmn")
    open_modeler(page, "funding_application.bpmn")
    expect(page.locator("#problems-summary")).to_have_text(
        "The files pass every check: the draft can be deployed."
    )

    click_on_diagram(page, "screen_idea")
    expect(page.get_by_label("Id", exact=True)).to_have_value("screen_idea")
    expect(page.get_by_label("Lane (role)")).to_have_value("Specialist")
    expect(page.get_by_label("Form", exact=True)).to_have_value("screening.json")
    expect(page.get_by_label("Form layout (UI schema)")).to_have_value("screening-uischema.json")
    expect(page.get_by_label("Instructions for the person doing the task")).to_have_value(
        re.compile(r"^\s*\*\*Automatic eligibility check")
    )
    page.get_by_label("Name", exact=True).fill("Screen the idea")
    page.get_by_label("Name", exact=True).press("Enter")
    expect(page.locator("#modeler-status")).to_have_text("Changes not saved yet.")
    screenshot(page, "renamed")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#modeler-status")).to_have_text(
        "Saved. The files pass every check: the draft can be deployed."
    )
    saved = draft_file(app, draft_id, "funding_application.bpmn")
    assert element_name(saved, "screen_idea") == "Screen the idea"
    assert saved.count("<spiffworkflow:property ") == original.count("<spiffworkflow:property ")
    assert spiff_content(saved) == spiff_content(original)


def test_a_problem_under_the_diagram_selects_its_element(
    app: Flask, as_user: Callable[..., Page], screenshot: Callable[..., Any]
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    open_modeler(page, "funding_application.bpmn")

    chooser = page.get_by_label("Element", exact=True)
    chooser.select_option(label="Write and send the application (send_application)")
    expect(page.get_by_label("Id", exact=True)).to_have_value("send_application")
    form = page.get_by_label("Form", exact=True)
    form.select_option(label="(none)")
    expect(form).to_have_value("")
    page.get_by_role("button", name="Undo").click()
    expect(form).to_have_value("application.json")
    page.get_by_role("button", name="Redo").click()
    expect(form).to_have_value("")
    chooser.select_option(label="Nothing (the whole diagram)")
    assert selected_ids(page) == []

    page.get_by_role("button", name="Save", exact=True).click()
    # The task has no form; so nothing sets the budget the next script adds up (3 reads).
    expect(page.locator("#modeler-status")).to_have_text("Saved. 4 problems stop a deploy.")
    problem = page.locator("#problems-list li").filter(has_text="send_application")
    expect(problem).to_contain_text("funding_application.bpmn")
    expect(problem).to_contain_text("names no form")
    marked = page.locator('.djs-element[data-element-id="send_application"]')
    expect(marked).to_have_class(re.compile(r"\bgf-problem\b"))
    screenshot(page, "problem")

    problem.get_by_role("button").click()
    expect(page.get_by_label("Id", exact=True)).to_have_value("send_application")
    assert selected_ids(page) == ["send_application"]
    expect(page.locator("#element-heading")).to_be_focused()
    assert 'name="formJsonSchemaFilename"' not in draft_element(
        draft_file(app, draft_id, "funding_application.bpmn"), "send_application"
    )


def draft_element(xml: str, element_id: str) -> str:
    root = etree.fromstring(xml.encode())
    return etree.tostring(root.find(f".//*[@id='{element_id}']")).decode()


def test_the_sidebar_edits_timers_messages_and_scripts(
    app: Flask, as_user: Callable[..., Page]
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    open_modeler(page, "funding_call.bpmn")
    chooser = page.get_by_label("Element", exact=True)

    chooser.select_option(label="Idea deadline passed (idea_deadline_passed)")
    expect(page.get_by_label("Kind of timer")).to_have_value("timeDate")
    page.get_by_label("Kind of timer").select_option("timeDuration")
    page.get_by_label("When (expression)").fill('"P14D"')
    page.get_by_label("When (expression)").press("Enter")

    chooser.select_option(label="Send the funding decisions (send_decisions)")
    expect(page.get_by_label("Message", exact=True)).to_have_value("funding_decision_out")
    expect(page.get_by_label("Send as the message (expression)")).to_have_value("decision")
    expect(page.get_by_label("Correlation property (which case gets the message)")).to_have_value(
        "case_key"
    )
    expect(page.get_by_label("Where the message holds it (expression)")).to_have_value("case_key")
    page.get_by_label("Where the message holds it (expression)").fill("decision_case_key")
    page.get_by_label("Where the message holds it (expression)").press("Enter")

    chooser.select_option(label="Invite idea senders to the webinar (invite_to_webinar)")
    page.get_by_label("Message", exact=True).select_option(label="New message…")
    page.get_by_label("Name of the new message").fill("webinar reminder")
    page.get_by_label("Name of the new message").press("Enter")
    expect(page.get_by_label("Message", exact=True)).to_have_value("webinar_reminder")

    chooser.select_option(label="Prepare the decisions (prepare_decisions)")
    page.get_by_label("Script (Python)").fill("decisions = []")
    page.get_by_label("Before the task (pre-script)").fill('note = "x"')
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#modeler-status")).to_contain_text("Saved.")

    root = etree.fromstring(draft_file(app, draft_id, "funding_call.bpmn").encode())
    timer = root.find(f".//*[@id='idea_deadline_passed']//{BPMN}timeDuration")
    assert (timer.text, timer.get(XSI_TYPE)) == ('"P14D"', "bpmn:tFormalExpression")
    path = root.find(f".//{BPMN}correlationPropertyRetrievalExpression/{BPMN}messagePath")
    assert path.text == "decision_case_key"
    message = root.find(f"{BPMN}message[@name='webinar reminder']")
    invite = root.find(f".//*[@id='invite_to_webinar']/{BPMN}messageEventDefinition")
    assert invite.get("messageRef") == message.get("id") == "webinar_reminder"
    assert invite.find(f".//{SPIFF}messagePayload").text == "webinar"
    prepare = root.find(".//*[@id='prepare_decisions']")
    assert prepare.find(f"{BPMN}script").text == "decisions = []"
    assert prepare.find(f"{BPMN}extensionElements/{SPIFF}preScript").text == 'note = "x"'


def test_the_owner_adds_a_field_in_the_form_editor(
    app: Flask, as_user: Callable[..., Page], screenshot: Callable[..., Any]
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    page.get_by_role("row").filter(has_text="forms/screening.json").get_by_role(
        "link", name="Edit the form"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("forms/screening.json")
    preview = page.locator("#preview-form")
    expect(preview).to_contain_text("Compatible with AKKE appropriation")

    source = page.get_by_label("JSON Schema")
    source.fill('{"type": "object",\n "properties": {}\n "x": 1}')
    expect(page.locator("#preview-error")).to_have_text(
        "JSON Schema, line 3, column 2: Expecting ',' delimiter."
    )
    before = draft_file(app, draft_id, "forms/screening.json")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#form-status")).to_contain_text("Not saved:")
    assert draft_file(app, draft_id, "forms/screening.json") == before

    schema = json.loads(before)
    schema["properties"]["meeting_notes"] = {"type": "string", "title": "Notes from the meeting"}
    source.fill(json.dumps(schema, indent=2))
    expect(preview.get_by_label("Notes from the meeting")).to_be_visible()
    expect(page.locator("#preview-error")).to_be_hidden()
    screenshot(page, "preview")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#form-status")).to_have_text(
        "Saved. The files pass every check: the draft can be deployed."
    )
    saved = json.loads(draft_file(app, draft_id, "forms/screening.json"))
    assert saved["properties"]["meeting_notes"]["title"] == "Notes from the meeting"
    assert json.loads(draft_file(app, draft_id, "forms/screening-uischema.json"))["ui:order"]


def test_the_editors_pass_axe(app: Flask, as_user: Callable[..., Page]) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    open_modeler(page, "funding_application.bpmn")
    click_on_diagram(page, "screen_idea")
    expect(page.get_by_label("Id", exact=True)).to_have_value("screen_idea")
    assert violations(page) == []

    page.goto(f"/processes/drafts/{draft_id}/form/forms/evaluation.json")
    expect(page.locator("#preview-form")).not_to_be_empty()
    assert violations(page) == []


def test_the_modeler_refuses_to_save_content_it_would_lose(
    app: Flask, as_user: Callable[..., Page]
) -> None:
    page = as_user("process_owner")
    draft_id = open_new_draft(app, page)
    text = draft_file(app, draft_id, "funding_call.bpmn").replace(
        "<spiffworkflow:messagePayload>webinar</spiffworkflow:messagePayload>",
        "<spiffworkflow:messagePayload>webinar</spiffworkflow:messagePayload>"
        "<spiffworkflow:somethingNewer>x</spiffworkflow:somethingNewer>",
    )
    token = page.locator('input[name="csrf_token"]').first.input_value()
    response = page.request.post(
        f"/processes/drafts/{draft_id}/files/funding_call.bpmn",
        data=text,
        headers={"X-CSRFToken": token, "Accept": "application/json", "Content-Type": "text/xml"},
    )
    assert response.status == 200
    page.reload()
    open_modeler(page, "funding_call.bpmn")
    expect(page.get_by_role("alert")).to_contain_text("somethingNewer")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_disabled()
