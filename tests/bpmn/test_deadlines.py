"""Deadlines are 16:15:00 Helsinki time on the call's clock: one second earlier counts, 16:15 not.

Sending is refused from 16:15:00 on even before the timer job has closed the case (the worker
polls the timers, so a case can still show its task for a moment after the deadline). The
rehearsal clock runs on at wall speed once set, so the timers fire as soon as it is past
16:15:00; one second before, they do not, although the wall clock is years later.

Also: a task is completed once, and only by the lane it belongs to.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case, Document
from app.extensions import db
from app.owners import owner_of
from app.tasks.operations import send_task
from app.tasks.queries import may_work_on
from app.timefmt import format_helsinki
from workflows import DeadlinePassed, NotAllowed, TaskAlreadyCompleted, closed_by_deadline
from workflows.models import AuditEvent, WorkflowInstance

SCREEN_PROCEED = {"akke_compatible": True, "screening_result": "proceed"}


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def completions(session: Session, case: Case) -> int:
    return count(
        session,
        AuditEvent,
        AuditEvent.instance_id == case.instance_id,
        AuditEvent.kind == "task_completed",
    )


@pytest.fixture
def two_cases(rehearsal) -> tuple[Case, Case]:
    """Cases of the City of Tampere and Leader Pohjoisin Lappi, both drafting their idea."""
    return rehearsal.start("applicant"), rehearsal.start("applicant2")


@pytest.fixture
def two_invited_cases(rehearsal, two_cases) -> tuple[Case, Case]:
    """Both cases sent their idea and were invited to apply."""
    first, second = two_cases
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("First"), "applicant", first)
    rehearsal.send("send_idea_proposal", rehearsal.idea("Second"), "applicant2", second)
    rehearsal.move_clock("2021-04-15 16:15:01")
    for case in two_cases:
        rehearsal.send("screen_idea", SCREEN_PROCEED, "specialist", case)
    return two_cases


def test_an_idea_sent_one_second_before_the_deadline_is_received(rehearsal, two_cases):
    case, _ = two_cases
    rehearsal.move_clock("2021-04-15 16:14:59")

    # It arrives at 16:14:59 on the call's clock however long the steps before took.
    rehearsal.send(
        "send_idea_proposal",
        rehearsal.idea("Just in time"),
        "applicant",
        case,
        arrived="2021-04-15 16:14:59",
    )

    [document] = case.documents
    assert document.kind == "idea_proposal"
    assert format_helsinki(document.received_at, seconds=True) == "15.4.2021 16:14:59 (UTC+03:00)"
    assert case.phase == "Waiting for: Webinar invitation"


def test_an_idea_sent_at_the_deadline_is_refused_and_nothing_is_stored(rehearsal, two_cases):
    case, _ = two_cases
    rehearsal.set_clock("2021-04-15 16:15:00")

    with pytest.raises(DeadlinePassed) as refused:
        rehearsal.send("send_idea_proposal", rehearsal.idea("Too late"), "applicant", case)

    assert refused.value.deadline == datetime.fromisoformat("2021-04-15T16:15:00+03:00")
    assert count(rehearsal.session, Document) == 0
    assert rehearsal.task("send_idea_proposal", case) is not None
    assert completions(rehearsal.session, case) == 0
    assert rehearsal.emails("receipt") == []


def test_an_application_sent_one_second_before_the_deadline_is_received(
    rehearsal, two_invited_cases
):
    case, _ = two_invited_cases
    rehearsal.move_clock("2021-06-02 16:14:59")

    rehearsal.send(
        "send_application",
        rehearsal.application(),
        "applicant",
        case,
        arrived="2021-06-02 16:14:59",
    )

    assert [d.kind for d in case.received] == ["idea_proposal", "application"]
    received = case.received[-1].received_at
    assert format_helsinki(received, seconds=True) == "2.6.2021 16:14:59 (UTC+03:00)"
    assert case.phase == "Check the application is complete"


def test_an_application_sent_at_the_deadline_is_refused_and_nothing_is_stored(
    rehearsal, two_invited_cases
):
    case, _ = two_invited_cases
    before = completions(rehearsal.session, case)
    rehearsal.set_clock("2021-06-02 16:15:00")

    with pytest.raises(DeadlinePassed) as refused:
        rehearsal.send("send_application", rehearsal.application(), "applicant", case)

    assert refused.value.deadline == datetime.fromisoformat("2021-06-02T16:15:00+03:00")
    assert [d.kind for d in case.received] == ["idea_proposal"]
    assert rehearsal.task("send_application", case) is not None
    assert completions(rehearsal.session, case) == before


def test_the_idea_deadline_timer_runs_on_the_rehearsal_clock(rehearsal, two_cases):
    case, _ = two_cases

    rehearsal.move_clock("2021-04-15 16:14:59")
    before_the_deadline = (case.phase, case.closed)
    rehearsal.move_clock("2021-04-15 16:15:01")

    assert before_the_deadline == ("Write and send the idea proposal", False)
    assert (case.phase, case.closed) == ("Closed as late (idea)", True)


def test_the_application_deadline_timer_runs_on_the_rehearsal_clock(rehearsal, two_invited_cases):
    case, _ = two_invited_cases

    rehearsal.move_clock("2021-06-02 16:14:59")
    before_the_deadline = (case.phase, case.closed)
    rehearsal.move_clock("2021-06-02 16:15:01")

    assert before_the_deadline == ("Write and send the application", False)
    assert (case.phase, case.closed) == ("Closed as late (application)", True)


def test_the_deadline_that_closed_a_task_is_known_once_its_timer_fired(rehearsal, two_cases):
    late, sent = two_cases
    late_task = rehearsal.task("send_idea_proposal", late).task_id
    sent_task = rehearsal.task("send_idea_proposal", sent).task_id
    rehearsal.move_clock("2021-04-15 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("In time"), "applicant2", sent)
    still_ready = closed_by_deadline(late.instance, late_task)

    rehearsal.move_clock("2021-04-15 16:15:01")

    closed = closed_by_deadline(late.instance, late_task)
    assert still_ready is None
    assert closed is not None
    assert closed.deadline == datetime.fromisoformat("2021-04-15T16:15:00+03:00")
    assert (closed.view.row.title, closed.view.row.due_at) == (
        "Write and send the idea proposal",
        closed.deadline,
    )
    assert "project_name" in closed.view.schema["properties"]
    assert closed_by_deadline(sent.instance, sent_task) is None
    assert closed_by_deadline(late.instance, "not-a-task") is None
    assert closed_by_deadline(late.instance, "00000000-0000-0000-0000-000000000000") is None


def test_a_task_sent_twice_is_completed_once(rehearsal, two_cases):
    case, _ = two_cases
    task = rehearsal.task("send_idea_proposal", case)
    with Session(db.engine) as other:  # a second request, loading the same task page
        other_call = other.get(Call, case.call_id)
        other_instance = other.get(WorkflowInstance, case.instance_id)
        other_user = other.scalar(select(User).where(User.username == "applicant"))

        rehearsal.send("send_idea_proposal", rehearsal.idea("Pressed once"), "applicant", case)
        with pytest.raises(TaskAlreadyCompleted):
            send_task(
                other,
                other_call,
                other_instance,
                task.task_id,
                rehearsal.idea("Pressed twice"),
                other_user,
            )
        other.rollback()

    assert [d.data["project_name"] for d in case.documents] == ["Pressed once"]
    assert completions(rehearsal.session, case) == 1
    assert len(rehearsal.emails("receipt")) == 1


def test_a_specialist_cannot_send_the_applicants_task(rehearsal, two_cases):
    case, _ = two_cases

    with pytest.raises(NotAllowed):
        rehearsal.send("send_idea_proposal", rehearsal.idea("Not mine"), "specialist", case)

    assert case.documents == []
    assert rehearsal.task("send_idea_proposal", case) is not None


def test_an_applicant_cannot_send_a_specialists_task(rehearsal, two_invited_cases):
    case, _ = two_invited_cases
    rehearsal.send("send_application", rehearsal.application(), "applicant", case)

    with pytest.raises(NotAllowed):
        rehearsal.send("check_application", {"complete": True}, "applicant", case)

    assert case.phase == "Check the application is complete"
    assert rehearsal.task("check_application", case) is not None


def test_only_the_lead_organisation_may_work_on_its_applicant_task(rehearsal, two_cases):
    case, _ = two_cases
    task = rehearsal.task("send_idea_proposal", case)
    owner = owner_of(rehearsal.session, case.instance)

    assert may_work_on(rehearsal.user("applicant"), owner, task)
    assert not may_work_on(rehearsal.user("applicant2"), owner, task)


def test_a_send_that_arrived_in_time_is_taken_however_late_it_is_processed(rehearsal):
    """Arrival is what counts: a request that arrived at 16:14:59.999 and reached the engine
    only after 16:15 (it waited in a queue, or behind a lock) is sent, and its receipt says
    when it arrived."""
    case = rehearsal.start("applicant")
    rehearsal.set_clock("2021-04-15 16:15:03")  # the request waited; the timer job has not run

    rehearsal.send(
        "send_idea_proposal",
        rehearsal.idea("In time"),
        "applicant",
        case,
        arrived="2021-04-15 16:14:59.999",
    )

    [receipt] = case.documents
    assert format_helsinki(receipt.received_at, seconds=True) == "15.4.2021 16:14:59 (UTC+03:00)"
    assert receipt.received_at.microsecond == 999000


def test_a_send_that_arrived_at_the_deadline_is_late_even_if_processed_at_once(rehearsal):
    case = rehearsal.start("applicant")
    rehearsal.set_clock("2021-04-15 16:15:00.2")
    with pytest.raises(DeadlinePassed):
        rehearsal.send(
            "send_idea_proposal",
            rehearsal.idea("Late"),
            "applicant",
            case,
            arrived="2021-04-15 16:15:00.000",
        )
    assert case.documents == []


def test_what_the_engine_does_by_itself_is_in_the_audit_log(rehearsal, two_cases):
    sent, late = two_cases
    rehearsal.move_clock("2021-04-15 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("In time"), "applicant", sent)

    rehearsal.move_clock("2021-04-15 16:15:01")

    call_events = [
        (e.kind, e.actor)
        for e in rehearsal.session.scalars(
            select(AuditEvent).where(AuditEvent.instance_id == rehearsal.call.instance_id)
        )
    ]
    assert ("timer_fired", "system") in call_events
    assert ("message_received", "system") in [(e.kind, e.actor) for e in rehearsal.timeline(sent)]
    closed = [(e.kind, e.actor) for e in rehearsal.timeline(late)]
    assert closed[-2:] == [("timer_fired", "system"), ("instance_completed", "system")]
