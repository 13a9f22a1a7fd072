"""A manual task of a SpiffArena model: in My tasks, its page shows the instructions and one
button, and the button completes it (no form, no data)."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from tests.app.processes.spiffarena_case import PROCESS, deploy_model, start
from tests.workflows.spiffarena_models import chain, instructions, process_file

BPMN = process_file(
    PROCESS,
    '<bpmn:startEvent id="start" name="Asked"/>'
    '<bpmn:manualTask id="call_back" name="Call the asker back">'
    + instructions("Call them **today**.")
    + "</bpmn:manualTask>"
    '<bpmn:endEvent id="done" name="Answered"/>' + chain("start", "call_back", "done"),
    lanes={"Specialist": ["start", "call_back", "done"]},
)


def test_a_manual_task_shows_its_instructions_and_completes_with_its_button(
    app, demo, owner, csrf_token, save_file, signed_in
):
    deploy_model(app, owner, csrf_token, save_file, BPMN)
    specialist = signed_in("specialist")
    task_url = start(specialist, csrf_token)
    assert "Call the asker back" in specialist.get("/tasks").get_data(as_text=True)
    page = specialist.get(task_url).get_data(as_text=True)
    assert "Call them <strong>today</strong>." in page
    assert "Mark as done" in page
    assert "Save draft" not in page

    done = specialist.post(
        task_url, data={"action": "send", "csrf_token": csrf_token(specialist, task_url)}
    )

    assert done.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.created_by == "specialist"))
        assert (case.closed, case.phase) == (True, "Answered")
