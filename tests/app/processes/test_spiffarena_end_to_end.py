"""SpiffArena models from import to the end of a case, through the pages a person uses: the
fixture repository is imported, what passes the check is deployed, and a specialist starts a
case of each model that runs today and sends its tasks until the case ends."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from workflows.engine import load_workflow
from workflows.models import ProcessModel, WorkflowInstance

from .test_spiffarena_import import repository_zip, upload

# What each model's tasks are sent with, in order (a model with none runs to its end at once),
# and data the case ends with.
RUNS = {
    "grants/user-form": [{"name": "Aino"}],
    "grants/dynamic-options": [{"colour": "blue"}],
    "grants/caller": [],
    "grants/decision": [],
    "grants/shared/totals": [],
}
ENDS_WITH = {
    "grants/user-form": {"greeting": "Hello Aino"},
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
