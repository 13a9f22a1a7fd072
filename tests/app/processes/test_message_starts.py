"""A message one model throws starts a case of another model whose process begins with a
message start event for it, as SpiffArena's message receivers do: the case is opened by the
system in the model's standing call, its start event has caught the message, and it goes on
to its first task. People cannot start such a case themselves."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from tests.app.processes.test_spiffarena_import import FIXTURES, upload
from tests.workflows.spiffarena_models import chain, process_file
from workflows.engine import load_workflow
from workflows.models import HumanTask, MessageStart, WorkflowInstance

RECEIVER = process_file(
    "request_handler",
    '<bpmn:startEvent id="asked" name="Asked">'
    '<bpmn:messageEventDefinition id="asked_message" messageRef="request_ready">'
    "<bpmn:extensionElements><spiffworkflow:messageVariable>request</spiffworkflow:messageVariable>"
    "</bpmn:extensionElements></bpmn:messageEventDefinition>"
    "</bpmn:startEvent>"
    '<bpmn:manualTask id="handle" name="Handle the request"/>'
    '<bpmn:endEvent id="handled" name="Handled"/>' + chain("asked", "handle", "handled"),
    definitions='<bpmn:message id="request_ready" name="request_ready"/>',
)
MODEL_JSON = {
    "description": "Starts when a request is ready",
    "display_name": "Request handler",
    "primary_file_name": "handler.bpmn",
    "primary_process_id": "request_handler",
}


def repository() -> bytes:
    """The fixture repository's sender, and a model its message starts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "grants" / "messages" / "sender").iterdir()):
            archive.writestr(f"repo/grants/sender/{path.name}", path.read_bytes())
        archive.writestr("repo/grants/handler/handler.bpmn", RECEIVER)
        archive.writestr("repo/grants/handler/process_model.json", json.dumps(MODEL_JSON))
    return buffer.getvalue()


def deploy(owner, csrf_token) -> None:
    page = upload(owner, csrf_token, repository()).get_data(as_text=True)
    token = csrf_token(owner, "/processes/spiffarena/import")
    drafts = [part.split('"')[0] for part in page.split('name="draft" value="')[1:]]
    assert len(drafts) == 2, page
    owner.post("/processes/spiffarena/deploy", data={"draft": drafts, "csrf_token": token})


def test_a_message_starts_a_case_of_the_model_that_begins_with_it(
    app, demo, owner, signed_in, csrf_token
):
    deploy(owner, csrf_token)
    specialist = signed_in("specialist")
    refused = specialist.post(
        "/start/models/grants/handler", data={"csrf_token": csrf_token(specialist, "/start")}
    )
    assert refused.headers["Location"].endswith("/start")  # a message starts it, no person

    started = specialist.post(
        "/start/models/grants/sender", data={"csrf_token": csrf_token(specialist, "/start")}
    )
    assert started.status_code == 302

    with app.app_context():
        [start] = db.session.scalars(select(MessageStart)).all()
        assert (start.model_id, start.status) == ("grants/handler", "started")
        case = db.session.scalars(
            select(Case)
            .join(Call, Call.id == Case.call_id)
            .where(Call.model_id == "grants/handler")
        ).one()
        assert case.created_by == "system"
        instance = db.session.get_one(WorkflowInstance, case.instance_id)
        [task] = db.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
        assert task.spec_name == "handle"
        [handle] = load_workflow(instance).get_tasks(spec_name="handle")
        assert handle.data["request"] == "ready"  # the message's payload, as SpiffArena keeps it
