"""Claim and unclaim: a claimed task belongs to its claimant until released."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import Case
from app.extensions import db
from app.tasks.operations import send_task
from tests.app.tasks.helpers import (
    claim,
    open_case,
    post,
    unclaim,
    walk_to_evaluation,
    walk_to_screening,
)
from workflows import NotAllowed, claim_task, unclaim_task
from workflows.models import AuditEvent, HumanTask
from workflows.services import Actor

SCREENING = {"akke_compatible": "true", "screening_result": "proceed"}
SPECIALIST = Actor("specialist", frozenset({"specialist"}))
EVALUATOR = Actor("evaluator", frozenset({"specialist"}))


def screening_row(app):
    with app.app_context():
        row = db.session.scalar(select(HumanTask).where(HumanTask.spec_name == "screen_idea"))
        db.session.expunge(row)
        return row


def test_claiming_makes_the_task_mine_and_records_who(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    specialist = signed_in("specialist")
    response = claim(specialist, csrf_token, task_url("screen_idea"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks"
    page = specialist.get("/tasks").get_data(as_text=True)
    assert "You claimed “Screen the idea proposal”" in page
    mine = page.split('id="mine-heading"')[1].split('id="groups-heading"')[0]
    assert "Screen the idea proposal" in mine
    row = screening_row(app)
    assert (row.assignee, row.claimed) == ("specialist", True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "task_claimed"))
        assert (event.actor, event.summary) == ("specialist", "Claimed “Screen the idea proposal”")
    assert "Claimed “Screen the idea proposal” (specialist)" in specialist.get("/cases/1").get_data(
        as_text=True
    )


def test_a_task_claimed_by_another_is_refused_on_the_page_with_the_claimant_named(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    url = task_url("screen_idea")
    claim(signed_in("specialist"), csrf_token, url)
    before = screening_phase(app)
    evaluator = signed_in("evaluator")
    opened = evaluator.get(url)
    assert opened.status_code == 403
    assert "specialist</strong> has claimed this task" in opened.get_data(as_text=True)
    sent = post(evaluator, csrf_token, url, SCREENING)
    assert sent.status_code == 403
    assert "has claimed this task" in sent.get_data(as_text=True)
    assert screening_phase(app) == before
    assert screening_row(app).assignee == "specialist"


def screening_phase(app):
    with app.app_context():
        return db.session.scalar(select(Case.phase))


def test_the_operation_refuses_to_complete_a_task_claimed_by_another(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    claim(signed_in("specialist"), csrf_token, task_url("screen_idea"))
    row = screening_row(app)
    with app.app_context():
        case = db.session.scalar(select(Case))
        evaluator = db.session.scalar(select(User).where(User.username == "evaluator"))
        with pytest.raises(NotAllowed):
            send_task(
                db.session,
                case.call,
                case.instance,
                row.task_id,
                {"akke_compatible": True, "screening_result": "proceed"},
                evaluator,
            )
        db.session.rollback()
    assert screening_row(app).task_id == row.task_id


def test_the_claimant_can_still_send_the_claimed_task(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    specialist = signed_in("specialist")
    url = task_url("screen_idea")
    claim(specialist, csrf_token, url)
    page = specialist.get(url).get_data(as_text=True)
    assert "You have claimed this task: only you can send it." in page
    assert post(specialist, csrf_token, url, SCREENING).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(HumanTask).where(HumanTask.spec_name == "screen_idea")) is None
        )


def test_a_second_claim_is_refused_with_a_notice(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    url = task_url("screen_idea")
    claim(signed_in("specialist"), csrf_token, url)
    evaluator = signed_in("evaluator")
    response = claim(evaluator, csrf_token, url)
    assert response.status_code == 302
    page = evaluator.get("/tasks").get_data(as_text=True)
    assert "specialist is working on this task: only they can complete it." in page
    assert "Screen the idea proposal" not in page.split('id="groups-heading"')[1]


def test_only_the_claimant_or_an_admin_can_unclaim(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    url = task_url("screen_idea")
    claim(signed_in("specialist"), csrf_token, url)
    evaluator = signed_in("evaluator")
    unclaim(evaluator, csrf_token, url)
    assert "Only specialist, who claimed this task, or an admin can release it." in (
        evaluator.get("/tasks").get_data(as_text=True)
    )
    assert screening_row(app).assignee == "specialist"

    admin = signed_in("admin")
    held = admin.get(url)
    assert held.status_code == 403
    assert "As an admin you can release it" in held.get_data(as_text=True)
    unclaim(admin, csrf_token, url)
    row = screening_row(app)
    assert (row.assignee, row.claimed) == (None, False)
    groups = evaluator.get("/tasks").get_data(as_text=True).split('id="groups-heading"')[1]
    assert "Screen the idea proposal" in groups


def test_the_claimant_unclaims_and_the_group_sees_the_task_again(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    url = task_url("screen_idea")
    specialist = signed_in("specialist")
    claim(specialist, csrf_token, url)
    unclaim(specialist, csrf_token, url, back=url)
    page = specialist.get(url).get_data(as_text=True)
    assert "is back with its group" in page
    assert ">Claim<span" in page
    assert screening_row(app).assignee is None
    with app.app_context():
        kinds = db.session.scalars(
            select(AuditEvent.kind).where(AuditEvent.kind.like("task_%claimed"))
        ).all()
    assert kinds == ["task_claimed", "task_unclaimed"]


def test_an_evaluation_assigned_by_the_process_cannot_be_unclaimed_or_taken(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    with app.app_context():
        row = db.session.scalar(
            select(HumanTask).where(
                HumanTask.spec_name == "evaluate_application", HumanTask.assignee == "evaluator"
            )
        )
        with pytest.raises(NotAllowed, match="assigned by the process"):
            unclaim_task(db.session, row.instance_id, row.task_id, EVALUATOR)
        with pytest.raises(NotAllowed, match="evaluator is working on this task"):
            claim_task(db.session, row.instance_id, row.task_id, SPECIALIST)
        db.session.rollback()
        assert (row.assignee, row.claimed) == ("evaluator", False)
    inbox = signed_in("evaluator").get("/tasks").get_data(as_text=True)
    assert "(assigned to you by the process)" in inbox
    assert ">Unclaim<span" not in inbox


def test_an_applicant_of_another_organisation_cannot_claim(
    app, signed_in, csrf_token, task_url, idea_form
):
    url = open_case(signed_in("applicant"), csrf_token)
    other = signed_in("applicant2")
    assert claim(other, csrf_token, url).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(HumanTask.assignee)) is None
