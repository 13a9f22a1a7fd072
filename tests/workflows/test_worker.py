"""The worker's timer pass: one transaction per instance, clocks taken in turns."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.workflows.factories import start_call
from workflows.clock import set_rehearsal_time
from workflows.models import AuditEvent, Clock, Timer, WorkflowInstance
from workflows.worker import fire_timers

BEFORE_THE_DEADLINE = datetime.fromisoformat("2021-04-15T16:00:00+03:00")
AFTER_THE_DEADLINE = datetime.fromisoformat("2021-04-15T16:15:01+03:00")


def _calls_on_clocks(session, calls_per_clock):
    """Call instances of the shipped model, `calls_per_clock[name]` of them on each clock."""
    clocks = {}
    for name, count in calls_per_clock.items():
        clock = clocks[name] = Clock(name=name, rehearsal=True)
        set_rehearsal_time(clock, BEFORE_THE_DEADLINE)
        session.add(clock)
        session.flush()
        for number in range(count):
            start_call(session, clock, f"{name}-{number}")
    session.commit()
    return clocks


def test_due_timers_of_several_calls_are_fired_in_turns(session):
    clocks = _calls_on_clocks(session, {"busy": 3, "quiet": 1})
    for clock in clocks.values():
        set_rehearsal_time(clock, AFTER_THE_DEADLINE)
    session.commit()

    fired = fire_timers(sessionmaker(session.get_bind()))

    assert fired == 4
    session.expire_all()
    order = session.scalars(
        select(WorkflowInstance.group_key)
        .join(AuditEvent, AuditEvent.instance_id == WorkflowInstance.id)
        .where(AuditEvent.kind == "timer_fired")
        .order_by(AuditEvent.id)
    ).all()
    assert sorted(order) == ["busy-0", "busy-1", "busy-2", "quiet-0"]
    assert order.index("quiet-0") <= 1  # the quiet call's only timer does not wait for busy's


def test_a_clock_not_yet_at_its_timers_fires_nothing(session):
    clocks = _calls_on_clocks(session, {"late": 1, "early": 1})
    set_rehearsal_time(clocks["late"], AFTER_THE_DEADLINE)
    session.commit()

    assert fire_timers(sessionmaker(session.get_bind())) == 1

    session.expire_all()
    waiting = session.scalars(select(Timer.clock_id)).all()
    assert clocks["early"].id in waiting
