"""The race that stranded a case (PostgreSQL): a send accepted just before the idea deadline
commits after the call's deadline timer has fired and sent the webinar invitation. Neither
transaction saw the other; the case still gets the invitation."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from app.tasks.operations import send_task
from tests.bpmn.conftest import CALL_KEY, helsinki
from workflows import set_rehearsal_time
from workflows.engine import deliver_pending, fire_timers_of
from workflows.messages import plan_missed_deliveries
from workflows.models import HumanTask, MessageDelivery, MessageWait


@pytest.fixture
def postgresql(rehearsal):
    if rehearsal.session.get_bind().dialect.name != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite lets one writer at a time)")
    return rehearsal


def test_a_case_that_starts_waiting_after_the_invitation_was_sent_still_gets_it(postgresql):
    rehearsal = postgresql
    case = rehearsal.start("applicant")
    rehearsal.set_clock("2021-04-15 16:14:58")
    arrived = rehearsal.wall_at("2021-04-15 16:14:59")
    engine = db.engine

    with Session(engine) as send, Session(engine) as timer_job:
        # The send: arrived in time, its transaction still open (the case row is locked).
        sending = send.get_one(Case, case.id)
        task = send.scalar(select(HumanTask).where(HumanTask.instance_id == case.instance_id))
        send_task(
            send,
            sending.call,
            sending.instance,
            task.task_id,
            rehearsal.idea("Late committer"),
            rehearsal.user("applicant"),
            arrived_at=arrived,
        )
        send.flush()
        # Meanwhile the deadline passes and the call's timer job runs and commits.
        call = timer_job.scalar(select(Call).where(Call.key == CALL_KEY))
        set_rehearsal_time(call.clock, helsinki("2021-04-15 16:15:01"))
        assert fire_timers_of(timer_job, call.instance_id)
        assert not fire_timers_of(timer_job, case.instance_id)  # busy: skipped, not waited for
        timer_job.commit()
        # Only now does the send commit: its case waits for an invitation already sent.
        send.commit()

    waiting = rehearsal.session.scalar(
        select(MessageWait).where(MessageWait.instance_id == case.instance_id)
    )
    assert waiting is not None and waiting.message == "webinar_invitation"
    assert rehearsal.session.scalar(select(MessageDelivery)) is None  # nobody planned it

    assert plan_missed_deliveries(rehearsal.session) == 1  # the worker's pass finds it
    assert deliver_pending(rehearsal.session) == 1
    rehearsal.session.commit()

    assert rehearsal.case_ids_emailed("webinar_invitation") == {case.id}
    assert [d.registry_number for d in rehearsal.session.get(Case, case.id).documents] == [
        "VN/1/2021-1",
        "VN/1/2021-2",  # the invitation, filed as an outgoing letter
    ]
