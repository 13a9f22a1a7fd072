"""SpiffArena's lanes in the workbench: a task outside any lane goes to who started the case;
a lane that is no role is mapped to one on the model's page (process owners only, checked on
the server, audited), and the draft's check and the deploy use that mapping."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from tests.app.processes.spiffarena_case import BPMN_FILE, PROCESS, deploy_model, start
from tests.app.processes.test_models import MODEL, create_model, draft_of
from tests.workflows.spiffarena_models import chain, process_file
from workflows.models import AuditEvent, HumanTask, ProcessModel

TASKS = (
    '<bpmn:startEvent id="start" name="Asked"/>'
    '<bpmn:manualTask id="answer" name="Answer the question"/>'
    '<bpmn:endEvent id="done" name="Answered"/>' + chain("start", "answer", "done")
)
UNLANED = process_file(PROCESS, TASKS)
IN_HR = process_file(PROCESS, TASKS, lanes={"hr": ["answer"]})
MODEL_PAGE = f"/processes/models/{MODEL}"


def test_a_task_outside_any_lane_is_the_starters_and_in_their_tasks_only(
    app, demo, owner, csrf_token, save_file, signed_in
):
    deploy_model(app, owner, csrf_token, save_file, UNLANED)
    specialist = signed_in("specialist")
    task_url = start(specialist, csrf_token)
    assert "Answer the question" in specialist.get("/tasks").get_data(as_text=True)
    assert specialist.get(task_url).status_code == 200
    other = signed_in("decision_maker")
    # Not among their tasks (staff's filter may still offer the case's phase by that name).
    assert task_url not in other.get("/tasks").get_data(as_text=True)
    assert other.get(task_url).status_code == 403
    with app.app_context():
        row = db.session.scalar(select(HumanTask))
        assert (row.candidate_group, row.assignee) == (None, "specialist")
        case_id = db.session.scalar(select(Case.id))
    assert "Answer the question" in specialist.get(f"/cases/{case_id}").get_data(as_text=True)


def test_anyone_of_the_staff_starts_a_case_whose_start_is_in_the_initiators_lane(
    app, demo, owner, csrf_token, save_file, signed_in
):
    laned = process_file(PROCESS, TASKS, lanes={"Process Initiator": ["start", "answer", "done"]})
    deploy_model(app, owner, csrf_token, save_file, laned)
    assert "Request for information" in signed_in("decision_maker").get("/start").get_data(
        as_text=True
    )
    assert "Request for information" not in signed_in("applicant").get("/start").get_data(
        as_text=True
    )
    task_url = start(signed_in("decision_maker"), csrf_token)
    assert signed_in("decision_maker").get(task_url).status_code == 200


def draft_problems(owner) -> list[str]:
    with owner.application.app_context():
        draft_id = draft_of(owner.application)
    return [
        p["message"]
        for p in owner.get(f"/processes/drafts/{draft_id}/problems").get_json()
        if p["severity"] == "error"
    ]


def map_lane(owner, csrf_token, role: str):
    return owner.post(
        f"{MODEL_PAGE}/lanes",
        data={"lane:hr": role, "csrf_token": csrf_token(owner, MODEL_PAGE)},
    )


def test_a_lane_mapped_on_the_models_page_passes_the_drafts_check(
    app, demo, owner, csrf_token, save_file
):
    create_model(owner, csrf_token)
    assert save_file(draft_of(app), BPMN_FILE, IN_HR).status_code == 200
    assert draft_problems(owner) == [
        "lane 'hr' is not a role: map it to a role on the model's page"
    ]
    page = owner.get(MODEL_PAGE).get_data(as_text=True)
    assert "Lanes and roles" in page
    assert 'name="lane:hr"' in page

    saved = map_lane(owner, csrf_token, "specialist")

    assert saved.status_code == 302
    assert draft_problems(owner) == []
    with app.app_context():
        assert db.session.get(ProcessModel, MODEL).lane_roles == {"hr": "specialist"}
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.kind == "process_model_lanes_changed")
        )
        assert (event.actor, event.data["to"]) == ("process_owner", {"hr": "specialist"})


def test_a_role_that_does_not_exist_is_refused_next_to_its_lane(
    app, demo, owner, csrf_token, save_file
):
    create_model(owner, csrf_token)
    save_file(draft_of(app), BPMN_FILE, IN_HR)
    refused = map_lane(owner, csrf_token, "boss")
    assert refused.status_code == 422
    assert "Choose one of the roles." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProcessModel, MODEL).lane_roles == {}


def test_only_process_owners_map_lanes(app, demo, owner, csrf_token, save_file, signed_in):
    create_model(owner, csrf_token)
    specialist = signed_in("specialist")
    response = specialist.post(
        f"{MODEL_PAGE}/lanes",
        data={"lane:hr": "specialist", "csrf_token": csrf_token(specialist, "/tasks")},
    )
    assert response.status_code == 403


def test_a_mapped_lanes_task_is_the_mapped_roles(
    app, demo, owner, csrf_token, save_file, signed_in
):
    create_model(owner, csrf_token)
    save_file(draft_of(app), BPMN_FILE, IN_HR)
    map_lane(owner, csrf_token, "specialist")
    draft_id = draft_of(app)
    owner.post(
        f"/processes/drafts/{draft_id}/deploy",
        data={"csrf_token": csrf_token(owner, f"/processes/drafts/{draft_id}")},
    )
    decision_maker = signed_in("decision_maker")
    start(decision_maker, csrf_token)
    assert "Answer the question" in signed_in("specialist").get("/tasks").get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case))
        row = db.session.scalar(select(HumanTask).where(HumanTask.instance_id == case.instance_id))
        assert (row.lane, row.candidate_group) == ("hr", "specialist")
