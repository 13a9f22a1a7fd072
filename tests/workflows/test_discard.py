"""Discarding a group of instances, and the engine's answers about what waits."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.workflows.factories import start_call
from workflows import discard_instances, instances_waiting_for, next_timer_due
from workflows.models import MessageWait, Timer, WorkflowInstance


def test_discarding_a_group_clears_its_timers_and_leaves_other_groups(session, rehearsal_clock):
    kept = start_call(session, rehearsal_clock, "kept")
    thrown = start_call(session, rehearsal_clock, "thrown")
    session.commit()
    version_before = thrown.lock_version

    ids = discard_instances(session, "thrown")
    session.commit()

    assert session.scalars(ids).all() == [thrown.id]
    session.refresh(thrown)
    assert thrown.status == "discarded"
    assert thrown.lock_version > version_before  # a writer holding the old state is refused
    timers = session.scalars(select(Timer.instance_id)).all()
    assert timers == [kept.id]
    assert session.get(WorkflowInstance, kept.id).status == "running"
    assert next_timer_due(session, rehearsal_clock.id) == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


def test_instances_waiting_for_a_message_are_those_with_a_wait(session, rehearsal_clock):
    call = start_call(session, rehearsal_clock, "c")
    session.add(MessageWait(instance_id=call.id, message="funding_decision"))
    session.flush()

    waiting = session.scalars(instances_waiting_for("funding_decision")).all()

    assert waiting == [call.id]
    assert (
        session.scalar(select(func.count()).select_from(instances_waiting_for("other").subquery()))
        == 0
    )
