"""Send pressed after the deadline. Nothing is ever sent late, and what was typed is not lost:
before the deadline timer has closed the task (the worker fires it a little after the due
time), it is kept as the task's draft; once the timer closed the task, the page shows it back
with the time the deadline passed."""

from datetime import datetime

from sqlalchemy import func, select

from app.calls.models import Call
from app.cases.models import Case, Document, TaskDraft
from app.extensions import db
from app.worker import run_due_work
from tests.app.tasks.helpers import IDEA_DEADLINE_PASSED, open_case, post
from workflows import set_rehearsal_time
from workflows.models import AuditEvent, OutboxMessage, WorkflowInstance

AT_THE_DEADLINE = "2021-04-15T16:15:00+03:00"
DEADLINE_SHOWN = "15.4.2021 16:15:00 (UTC+03:00)"


def set_clock(app, moment):
    """Set the call's time without firing its timers: the worker has not run yet."""
    with app.app_context():
        call = db.session.scalar(select(Call))
        set_rehearsal_time(call.clock, datetime.fromisoformat(moment))
        db.session.commit()


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def engine_row(app):
    """What the case's engine row holds: its state and status (its version counter moves on
    every attempt that locked it, sent or not)."""
    with app.app_context():
        instance = db.session.scalar(
            select(WorkflowInstance).join(Case, Case.instance_id == WorkflowInstance.id)
        )
        return instance.state, instance.status


def phase(app):
    with app.app_context():
        return db.session.scalar(select(Case.phase))


def test_a_send_after_the_deadline_keeps_what_was_typed_as_a_draft(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    set_clock(app, AT_THE_DEADLINE)
    before = engine_row(app), count(app, AuditEvent), count(app, OutboxMessage)

    response = post(applicant, csrf_token, url, idea_form)

    assert (response.status_code, response.headers["Location"]) == (302, url)
    page = applicant.get(url).get_data(as_text=True)
    assert f"The deadline passed at {DEADLINE_SHOWN}: the form was not sent." in page
    assert "kept here as a draft, but a draft is not an application" in page
    assert 'value="Lakeland growth corridor"' in page
    reloaded = applicant.get(url).get_data(as_text=True)
    assert "Draft saved" in reloaded
    assert 'value="Lakeland growth corridor"' in reloaded
    assert "Four municipalities in two regions develop a shared theme." in reloaded
    assert 'value="City of Hämeenlinna"' in reloaded
    assert count(app, TaskDraft) == 1
    assert count(app, Document) == 0
    # Only the draft was written: no step, no event, no email, the engine row untouched.
    assert (engine_row(app), count(app, AuditEvent), count(app, OutboxMessage)) == before


def test_the_draft_kept_after_the_deadline_is_never_sent(
    app, signed_in, csrf_token, idea_form, move_clock
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    set_clock(app, AT_THE_DEADLINE)
    post(applicant, csrf_token, url, idea_form)

    move_clock(IDEA_DEADLINE_PASSED)

    assert phase(app) == "Closed as late (idea)"
    assert count(app, Document) == 0


def test_a_send_after_the_deadline_closed_the_task_shows_what_was_typed(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    set_clock(app, IDEA_DEADLINE_PASSED)
    run_due_work(app)  # the worker fires the deadline timer: the task is closed
    assert phase(app) == "Closed as late (idea)"

    response = post(applicant, csrf_token, url, idea_form)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        f"The deadline passed at {DEADLINE_SHOWN} and the task was closed: "
        "the form was not sent, and nothing was saved."
    ) in page
    assert "already completed" not in page
    assert "<dd>Lakeland growth corridor</dd>" in page
    assert "<dd>Four municipalities in two regions develop a shared theme.</dd>" in page
    assert "<dd>City of Hämeenlinna</dd>" in page
    assert 'value="send"' not in page
    assert count(app, Document) == 0
    assert count(app, TaskDraft) == 0


def test_a_draft_saved_after_the_deadline_closed_the_task_shows_what_was_typed(
    app, signed_in, csrf_token, move_clock
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    move_clock(IDEA_DEADLINE_PASSED)

    response = post(applicant, csrf_token, url, {"project_name": "Half-written"}, action="draft")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"The deadline passed at {DEADLINE_SHOWN} and the task was closed" in page
    assert "<dd>Half-written</dd>" in page
    assert count(app, TaskDraft) == 0


def test_only_who_could_send_the_task_sees_a_form_posted_to_it_after_it_closed(
    app, signed_in, csrf_token, idea_form, move_clock
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    move_clock(IDEA_DEADLINE_PASSED)

    response = post(signed_in("specialist"), csrf_token, url, idea_form)

    assert response.status_code == 302
    assert "Lakeland growth corridor" not in response.get_data(as_text=True)
