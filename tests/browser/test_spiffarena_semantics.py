"""SpiffArena's semantics in the browser: a manual task is done with its button, and a lane
that is no role is mapped to one on the model's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from app.processes.models import ProcessDraft
from app.processes.operations import deploy_files
from tests.workflows.spiffarena_models import chain, instructions, process_file
from workflows.models import ProcessModel

pytestmark = pytest.mark.browser

MODEL = "paper-work"
PROCESS = "paper_work"


def add_model(app: Flask, bpmn: str, *, deploy: bool) -> None:
    """The model MODEL with ``bpmn``: deployed, or as a draft only."""
    now = datetime.now(UTC)
    with app.app_context():
        model = ProcessModel(
            id=MODEL,
            names={"en": "Paper work", "fi": "Paperityö", "sv": "Pappersarbete"},
            descriptions={},
            case_process=PROCESS,
            call_process=None,
            case_start_data=["case_key"],
            call_start_data=[],
            messages=[],
            created_by="test",
            created_at=now,
            updated_by="test",
            updated_at=now,
        )
        db.session.add(model)
        db.session.flush()
        files = {f"{PROCESS}.bpmn": bpmn}
        if deploy:
            deploy_files(db.session, files, model, "test")
        else:
            db.session.add(
                ProcessDraft(
                    model=model,
                    title="From SpiffArena",
                    files=files,
                    created_by="test",
                    created_at=now,
                    updated_by="test",
                    updated_at=now,
                )
            )
        db.session.commit()


def test_a_manual_task_is_done_with_its_button(app: Flask, as_user: Callable[..., Page]) -> None:
    body = (
        '<bpmn:startEvent id="start" name="Asked"/>'
        '<bpmn:manualTask id="sign" name="Sign the paper">'
        + instructions("Sign it in blue ink.")
        + "</bpmn:manualTask>"
        '<bpmn:endEvent id="done" name="Signed"/>' + chain("start", "sign", "done")
    )
    add_model(
        app,
        process_file(PROCESS, body, lanes={"Specialist": ["start", "sign", "done"]}),
        deploy=True,
    )
    page = as_user("specialist")
    page.goto("/start")
    page.locator(".card").filter(has_text="Paper work").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign the paper")
    expect(page.locator(".instructions")).to_contain_text("Sign it in blue ink.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("heading", name="Sign the paper")).to_have_count(0)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.created_by == "specialist"))
        assert case is not None and (case.closed, case.phase) == (True, "Signed")


def test_a_lane_that_is_no_role_is_mapped_on_the_models_page(
    app: Flask, as_user: Callable[..., Page]
) -> None:
    body = (
        '<bpmn:startEvent id="start" name="Asked"/><bpmn:manualTask id="sign" name="Sign"/>'
        '<bpmn:endEvent id="done" name="Signed"/>' + chain("start", "sign", "done")
    )
    add_model(app, process_file(PROCESS, body, lanes={"hr": ["sign"]}), deploy=False)
    page = as_user("process_owner")
    page.goto(f"/processes/models/{MODEL}")
    page.get_by_label("Lane “hr”").select_option("specialist")
    page.get_by_role("button", name="Save the roles of the lanes").click()
    expect(page.get_by_role("status").or_(page.locator(".flash"))).to_contain_text(
        "The roles of the lanes were saved."
    )
    expect(page.get_by_label("Lane “hr”")).to_have_value("specialist")
    with app.app_context():
        assert db.session.get(ProcessModel, MODEL).lane_roles == {"hr": "specialist"}
