"""Process models in the workbench: a new model with its first draft, deployed and run as a
case from "Start a case"; its contract guards every deploy and every call bound to it."""

from __future__ import annotations

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.cases.models import Case
from app.extensions import db
from app.processes.models import ProcessDraft
from workflows.models import HumanTask, ProcessModel

MODEL = "request-for-information"


def create_model(owner, csrf_token, **changes):
    form = MultiDict(
        {
            "id": MODEL,
            "names.fi": "Tietopyyntö",
            "names.sv": "Begäran om information",
            "names.en": "Request for information",
            "descriptions.en": "A specialist answers a question about a call.",
            "starting_role": "specialist",
            "case_process": "request_for_information",
            "csrf_token": csrf_token(owner, "/processes/models/new"),
        }
        | changes
    )
    form.add("case_start_data", "case_key")
    form.add("case_start_data", "started_by")
    return owner.post("/processes/models/new", data=form)


def draft_of(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ProcessDraft.id).where(ProcessDraft.model_id == MODEL))


def test_a_new_model_gets_a_first_draft_that_passes_the_check_and_deploys(
    app, demo, owner, csrf_token
):
    response = create_model(owner, csrf_token)
    assert response.status_code == 302
    draft_id = draft_of(app)
    assert response.headers["Location"].endswith(f"/processes/drafts/{draft_id}")
    problems = owner.get(f"/processes/drafts/{draft_id}/problems").get_json()
    assert [p for p in problems if p["severity"] == "error"] == []

    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    deployed = owner.post(f"/processes/drafts/{draft_id}/deploy", data={"csrf_token": token})

    assert deployed.status_code == 302
    page = owner.get(f"/processes/models/{MODEL}").get_data(as_text=True)
    assert "Request for information" in page
    assert "Version 1" in page
    assert "<code>request_for_information</code>" in page
    assert "Request for information" in owner.get("/processes/").get_data(as_text=True)


def test_a_model_id_taken_or_malformed_is_refused_next_to_its_field(app, demo, owner, csrf_token):
    taken = create_model(owner, csrf_token, id="two-phase-funding")
    assert taken.status_code == 422
    assert "There is already a process model" in taken.get_data(as_text=True)
    bad = create_model(owner, csrf_token, id="Not An Id")
    assert bad.status_code == 422
    assert 'id="f-id-error"' in bad.get_data(as_text=True)


def test_a_specialist_starts_a_case_of_the_model_and_completes_it(
    app, demo, owner, csrf_token, signed_in
):
    create_model(owner, csrf_token)
    draft_id = draft_of(app)
    owner.post(
        f"/processes/drafts/{draft_id}/deploy",
        data={"csrf_token": csrf_token(owner, f"/processes/drafts/{draft_id}")},
    )
    assert "Request for information" not in signed_in("applicant").get("/start").get_data(
        as_text=True
    )
    specialist = signed_in("specialist")
    assert "Request for information" in specialist.get("/start").get_data(as_text=True)

    started = specialist.post(
        f"/start/models/{MODEL}", data={"csrf_token": csrf_token(specialist, "/start")}
    )
    assert started.status_code == 302
    task_url = started.headers["Location"]
    assert "/tasks/" in task_url
    sent = specialist.post(
        task_url,
        data={
            "notes": "Answered by phone.",
            "action": "send",
            "csrf_token": csrf_token(specialist, task_url),
        },
    )

    assert sent.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.created_by == "specialist"))
        assert case.organisation_id is None
        assert case.call.kind == "standing"
        assert (case.closed, case.phase) == (True, "Case done")
        assert (
            db.session.scalar(select(HumanTask).where(HumanTask.instance_id == case.instance_id))
            is None
        )
    assert "My tasks" in specialist.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_contract_change_the_current_version_breaks_is_refused(
    app, owner, current_version_id, csrf_token
):
    form = MultiDict(
        {
            "names.fi": "Kaksivaiheinen rahoitushaku",
            "names.sv": "Finansieringsansökan i två steg",
            "case_process": "funding_application_v2",
            "call_process": "funding_call",
            "csrf_token": csrf_token(owner, "/processes/models/two-phase-funding/edit"),
        }
    )
    response = owner.post("/processes/models/two-phase-funding/edit", data=form)
    assert response.status_code == 422
    assert "which cases use, would break this contract" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.get(ProcessModel, "two-phase-funding").case_process == "funding_application"
        )


def test_a_start_datum_a_bound_call_cannot_give_is_refused_naming_the_call(
    app, owner, current_version_id, csrf_token
):
    page = owner.get("/processes/models/two-phase-funding/edit").get_data(as_text=True)
    assert 'value="idea"' in page and 'value="application"' in page  # the phase deadlines
    with app.app_context():
        model = db.session.get(ProcessModel, "two-phase-funding")
        form = MultiDict(
            [
                ("names.fi", model.names["fi"]),
                ("names.sv", model.names["sv"]),
                ("case_process", model.case_process),
                ("call_process", model.call_process),
                ("phase_deadlines.0", "idea"),
                ("phase_deadlines.1", "application"),
                ("phase_deadlines.2", "review"),
                *[
                    ("case_start_data", n)
                    for n in model.case_start_data
                    if not n.endswith("_deadline")
                ],
                *[
                    ("call_start_data", n)
                    for n in model.call_start_data
                    if not n.endswith("_deadline")
                ],
                *[(f"messages.{i}", m) for i, m in enumerate(model.messages)],
            ]
        )
    form["csrf_token"] = csrf_token(owner, "/processes/models/two-phase-funding/edit")
    response = owner.post("/processes/models/two-phase-funding/edit", data=form)
    assert response.status_code == 422
    assert "does not give review_deadline" in response.get_data(as_text=True)


def test_a_draft_of_a_model_without_calls_is_rehearsed_on_its_own_clock(
    app, demo, owner, csrf_token, signed_in
):
    create_model(owner, csrf_token)
    draft_id = draft_of(app)
    response = owner.post(
        f"/processes/drafts/{draft_id}/rehearsals",
        data={"call": "", "csrf_token": csrf_token(owner, f"/processes/drafts/{draft_id}")},
    )
    assert response.status_code == 302
    specialist = signed_in("specialist")
    page = specialist.get("/start").get_data(as_text=True)
    assert "Rehearsal of “First version”: Request for information" in page
    key = re.search(r'action="/calls/(rehearsal-[\w-]+)/applications"', page).group(1)
    started = specialist.post(
        f"/calls/{key}/applications", data={"csrf_token": csrf_token(specialist, "/start")}
    )
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"]
    assert signed_in("applicant").get(f"/calls/{key}").status_code == 200
    assert app.test_client().get(f"/calls/{key}").status_code == 404  # never public
