"""The worker's passes: timers with clocks taken in turns, the outbox by two workers at once."""

import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from tests.workflows.factories import start_call
from workflows.clock import set_rehearsal_time, wall_now
from workflows.models import AuditEvent, Clock, OutboxMessage, Timer, WorkflowInstance
from workflows.worker import fire_timers, send_outbox

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


def test_two_workers_sending_the_outbox_at_once_send_each_email_once(session):
    """PostgreSQL: each worker takes the next email no other holds (SKIP LOCKED), marked as
    being sent in the same statement."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("two workers at once: PostgreSQL")
    now = wall_now()
    session.add_all(
        OutboxMessage(kind="email", payload={"n": n}, created_at=now, next_attempt_at=now)
        for n in range(30)
    )
    session.commit()
    sent: list[tuple[str, int]] = []
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        def send(message: OutboxMessage) -> None:
            sent.append((name, message.id))
            time.sleep(0.005)  # the SMTP conversation: the other worker takes its next meanwhile

        barrier.wait()
        send_outbox(sessionmaker(session.get_bind()), send)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "other")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    ids = [message_id for _worker, message_id in sent]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 30
    assert {name for name, _id in sent} == {"one", "other"}  # both took part
    session.expire_all()
    stored = session.scalars(select(OutboxMessage)).all()
    assert all(m.sent_at is not None and m.attempts == 1 for m in stored)
    assert {m.message_id for m in stored} == {f"<outbox-{m.id}@grantflow>" for m in stored}


def test_each_email_is_on_record_as_being_sent_before_it_goes_and_as_sent_before_the_next(
    session,
):
    """At most once, in one transaction an email: while an email goes out, the database says
    it is being sent and every email before it sent (or refused, to be retried)."""
    now = wall_now()
    session.add_all(
        OutboxMessage(kind="email", payload={"n": n}, created_at=now, next_attempt_at=now)
        for n in range(4)
    )
    session.commit()
    ids = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)).all()
    engine = session.get_bind()
    commits = []

    def counted(connection: object) -> None:
        commits.append(connection)

    seen = []

    def send(message: OutboxMessage) -> None:
        with Session(engine) as other:  # what another connection reads meanwhile
            rows = other.execute(
                select(
                    OutboxMessage.id, OutboxMessage.sending_since, OutboxMessage.sent_at
                ).order_by(OutboxMessage.id)
            ).all()
        seen.append([(sending is not None, sent is not None) for _id, sending, sent in rows])
        if message.id == ids[1]:
            raise ConnectionError("the mail server went away")

    event.listen(engine, "commit", counted)
    try:
        assert send_outbox(sessionmaker(engine), send) == 3
    finally:
        event.remove(engine, "commit", counted)

    being_sent, sent, waiting = (True, False), (False, True), (False, False)
    assert seen == [
        [being_sent, waiting, waiting, waiting],
        [sent, being_sent, waiting, waiting],
        [sent, waiting, being_sent, waiting],  # the refused one waits for its retry
        [sent, waiting, sent, being_sent],
    ]
    assert len(commits) == 5  # four emails taken, each with the one before's outcome; the last's
    session.expire_all()
    refused = session.get_one(OutboxMessage, ids[1])
    assert refused.sent_at is None and "went away" in (refused.last_error or "")


def test_an_email_sent_stays_on_record_as_sent_when_taking_the_next_one_fails(session):
    """The outcome waits for the next email's transaction; when that transaction fails (the
    database went away between two emails), the email already sent is still recorded as sent,
    not left to be doubted."""
    now = wall_now()
    session.add_all(
        OutboxMessage(kind="email", payload={"n": n}, created_at=now, next_attempt_at=now)
        for n in range(2)
    )
    session.commit()
    engine = session.get_bind()
    opened = []

    class Failing(Session):
        def scalar(self, *args, **kwargs):
            raise ConnectionError("the database went away")

    def sessions() -> Session:
        opened.append(1)
        return Failing(engine) if len(opened) == 2 else Session(engine)

    with pytest.raises(ConnectionError):
        send_outbox(sessions, lambda message: None)

    session.expire_all()
    first, second = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert first.sent_at is not None and first.sending_since is None
    assert second.sent_at is None and second.sending_since is None and second.attempts == 0
