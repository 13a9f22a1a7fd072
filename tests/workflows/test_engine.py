"""The engine layer on the shipped call process: state only, clock seam, indexes."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DBAPIError

from tests.workflows.factories import start_call
from workflows.clock import set_rehearsal_time
from workflows.engine import fire_due_timers, load_workflow
from workflows.models import AuditEvent, MessageWait, Timer


@pytest.fixture
def call_instance(session, rehearsal_clock):
    instance = start_call(session, rehearsal_clock)
    session.commit()
    return instance


def test_only_the_instance_state_is_stored_not_the_spec(call_instance):
    assert "spec" not in call_instance.state
    assert "subprocess_specs" not in call_instance.state
    workflow = load_workflow(call_instance)
    assert workflow.spec.name == "funding_call"


def test_a_waiting_timer_is_indexed_in_utc(session, call_instance):
    [timer] = session.scalars(select(Timer).where(Timer.instance_id == call_instance.id)).all()
    assert timer.due_at == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


def test_the_timer_fires_on_the_rehearsal_clock_not_the_wall_clock(
    session, call_instance, rehearsal_clock
):
    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-04-15T16:14:59+03:00"))
    assert fire_due_timers(session, rehearsal_clock) == 0  # the wall clock is years past it
    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-04-15T16:15:01+03:00"))
    assert fire_due_timers(session, rehearsal_clock) == 1
    session.commit()
    [timer] = session.scalars(select(Timer).where(Timer.instance_id == call_instance.id)).all()
    assert timer.due_at == datetime(2021, 6, 2, 13, 15, tzinfo=UTC)
    sent = session.scalar(select(AuditEvent).where(AuditEvent.kind == "message_sent"))
    assert sent.data == {"message": "webinar_invitation", "to": []}
    assert fire_due_timers(session, rehearsal_clock) == 0  # fires once


def test_the_call_waits_for_no_message_of_its_own(session, call_instance):
    waits = session.scalar(select(func.count()).where(MessageWait.instance_id == call_instance.id))
    assert waits == 0


def test_the_audit_log_cannot_be_rewritten_or_deleted(session, call_instance):
    event = session.scalar(select(AuditEvent))
    event.summary = "rewritten"
    with pytest.raises(DBAPIError, match="append-only"):
        session.flush()
    session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(delete(AuditEvent))
