"""SpiffArena models from import to the end of a case, through the pages a person uses: the
fixture repository is imported, what passes the check is deployed, and a specialist starts a
case of each model and sends its tasks until the case ends: forms, a manual task's button,
scripts with SpiffArena's datetime, an embedded sub-process, a decision table, a call into
another model, a message between two models, and lanes mapped to roles on the model's page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from app.processes.models import ProcessDraft
from workflows.engine import load_workflow
from workflows.models import HumanTask, ProcessModel, WorkflowInstance

from .test_spiffarena_import import repository_zip, upload

# What each model's tasks are sent with, in order (a model with none runs to its end at once),
# and data the case ends with.
RUNS = {
    "grants/user-form": [{"name": "Aino"}],
    "grants/manual-task": [{}],
    "grants/scripts/due-date": [],
    "grants/embedded": [],
    "grants/dynamic-options": [{"colour": "blue"}],
    "grants/caller": [],
    "grants/decision": [],
    "grants/shared/totals": [],
}
ENDS_WITH = {
    "grants/user-form": {"greeting": "Hello Aino"},
    "grants/manual-task": {},
    "grants/scripts/due-date": {},
    "grants/embedded": {"inside": True},
    "grants/dynamic-options": {"colour": "blue"},
    "grants/caller": {"total": 3},
    "grants/decision": {"size": "big"},
    "grants/shared/totals": {"total": 3},
}


@pytest.fixture
def deployed(app, demo, owner, csrf_token) -> None:
    """The fixture repository imported, and "Deploy all that pass the check" pressed."""
    page = upload(owner, csrf_token, repository_zip()).get_data(as_text=True)
    passing = re.findall(r'name="draft" value="(\d+)"', page)
    token = csrf_token(owner, "/processes/spiffarena/import")
    owner.post("/processes/spiffarena/deploy", data={"draft": passing, "csrf_token": token})


@pytest.mark.parametrize("model_id", sorted(RUNS))
def test_a_case_of_an_imported_model_runs_to_its_end(
    app, deployed, signed_in, csrf_token, model_id
):
    specialist = signed_in("specialist")
    started = specialist.post(
        f"/start/models/{model_id}", data={"csrf_token": csrf_token(specialist, "/start")}
    )
    assert started.status_code == 302
    url = started.headers["Location"]
    for fields in RUNS[model_id]:
        assert "/tasks/" in url
        sent = specialist.post(
            url, data={**fields, "action": "send", "csrf_token": csrf_token(specialist, url)}
        )
        assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
        url = sent.headers["Location"]

    with app.app_context():
        model = db.session.get(ProcessModel, model_id)
        case = db.session.scalars(select(Case).where(Case.created_by == "specialist")).one()
        assert case.call.model_id == model.id
        instance = db.session.get(WorkflowInstance, case.instance_id)
        assert instance.status == "completed"
        data = load_workflow(instance).data
        assert {name: data.get(name) for name in ENDS_WITH[model_id]} == ENDS_WITH[model_id]


def test_the_called_models_process_runs_inside_the_callers_case(
    app, deployed, signed_in, csrf_token
):
    specialist = signed_in("specialist")
    specialist.post(
        "/start/models/grants/caller", data={"csrf_token": csrf_token(specialist, "/start")}
    )

    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.created_by == "specialist")).one()
        instance = db.session.get(WorkflowInstance, case.instance_id)
        assert instance.status == "completed"
        assert "compute_totals" in instance.version.process_ids


def start(client, csrf_token, model_id: str) -> str:
    started = client.post(
        f"/start/models/{model_id}", data={"csrf_token": csrf_token(client, "/start")}
    )
    assert started.status_code == 302
    assert "/start" not in started.headers["Location"]  # refused: back to the start page
    return started.headers["Location"]


def instance_of(model_id: str) -> WorkflowInstance:
    case = db.session.scalars(
        select(Case).join(Call, Call.id == Case.call_id).where(Call.model_id == model_id)
    ).one()
    return db.session.get_one(WorkflowInstance, case.instance_id)


def test_a_message_thrown_by_one_imported_model_ends_a_case_of_another(
    app, deployed, signed_in, csrf_token
):
    specialist = signed_in("specialist")
    start(specialist, csrf_token, "grants/messages/receiver")
    with app.app_context():
        assert instance_of("grants/messages/receiver").status == "running"

    start(specialist, csrf_token, "grants/messages/sender")

    with app.app_context():
        assert instance_of("grants/messages/sender").status == "completed"
        assert instance_of("grants/messages/receiver").status == "completed"


def test_a_lane_mapped_on_the_models_page_runs_after_the_initiators_lane(
    app, deployed, owner, signed_in, csrf_token
):
    page = "/processes/models/grants/lanes"
    mapped = owner.post(
        f"{page}/lanes",
        data={"lane:Finance": "decision_maker", "csrf_token": csrf_token(owner, page)},
    )
    assert mapped.status_code == 302
    imported = upload(owner, csrf_token, repository_zip()).get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(
            select(ProcessDraft.id).where(ProcessDraft.model_id == "grants/lanes")
        )
    assert f'name="draft" value="{draft}"' in imported  # the check passes now
    token = csrf_token(owner, "/processes/spiffarena/import")
    owner.post("/processes/spiffarena/deploy", data={"draft": [draft], "csrf_token": token})

    specialist = signed_in("specialist")
    url = start(specialist, csrf_token, "grants/lanes")  # the initiator's lane: the starter's
    sent = specialist.post(
        url,
        data={"destination": "Oulu", "action": "send", "csrf_token": csrf_token(specialist, url)},
    )
    assert sent.status_code == 302
    with app.app_context():
        row = db.session.scalar(
            select(HumanTask).where(HumanTask.instance_id == instance_of("grants/lanes").id)
        )
        assert (row.spec_name, row.candidate_group, row.assignee) == (
            "approve",
            "decision_maker",
            None,
        )
        approve = f"/tasks/{row.instance_id}/{row.task_id}"
    assert (
        specialist.post(
            approve,
            data={
                "approved": "true",
                "action": "send",
                "csrf_token": csrf_token(specialist, "/tasks"),
            },
        ).status_code
        == 403
    )
    decider = signed_in("decision_maker")
    done = decider.post(
        approve,
        data={"approved": "true", "action": "send", "csrf_token": csrf_token(decider, approve)},
    )
    assert done.status_code == 302
    with app.app_context():
        assert instance_of("grants/lanes").status == "completed"
