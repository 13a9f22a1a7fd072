"""The audit log and the outbox: events written at once, or (``later``, inside
``written_together``) together at the block's end with the messages queued in it, and neither
when the block fails."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.audit import queue_message, record_event, written_together
from workflows.models import AuditEvent, OutboxMessage


def logged(session: Session) -> list[tuple[str, str, dict]]:
    return [
        (event.kind, event.summary, event.data)
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def record(session: Session, kind: str, *, later: bool = False) -> AuditEvent:
    return record_event(
        session,
        actor="system",
        kind=kind,
        summary=f"{kind} happened",
        data={"n": kind},
        later=later,
    )


def test_events_recorded_later_in_a_block_are_written_together_at_its_end(session):
    with written_together(session):
        first = record(session, "timer_fired", later=True)
        record(session, "incident_opened")  # read back in the transaction: written at once
        second = record(session, "instance_completed", later=True)
        assert logged(session) == [
            ("incident_opened", "incident_opened happened", {"n": "incident_opened"})
        ]
        assert first.id is None

    assert logged(session) == [
        ("incident_opened", "incident_opened happened", {"n": "incident_opened"}),
        ("timer_fired", "timer_fired happened", {"n": "timer_fired"}),
        ("instance_completed", "instance_completed happened", {"n": "instance_completed"}),
    ]
    assert first.id is not None and second.id == first.id + 1


def test_an_event_recorded_later_outside_a_block_is_written_at_once(session):
    event = record(session, "timer_fired", later=True)

    assert event.id is not None
    assert [kind for kind, _summary, _data in logged(session)] == ["timer_fired"]


def test_a_block_that_fails_writes_none_of_its_later_events(session):
    with pytest.raises(RuntimeError), written_together(session):
        record(session, "timer_fired", later=True)
        raise RuntimeError("the batch failed")

    assert logged(session) == []
    with written_together(session):  # the next block starts with nothing pending
        record(session, "instance_completed", later=True)
    assert [kind for kind, _summary, _data in logged(session)] == ["instance_completed"]


def queued(session: Session) -> list[str]:
    return list(session.scalars(select(OutboxMessage.payload["subject"].as_string())))


def test_messages_queued_in_a_block_are_written_at_its_end_and_not_when_it_fails(session):
    with written_together(session):
        queue_message(session, kind="email", payload={"to": ["a@x.fi"], "subject": "Receipt"})
        session.flush()
        assert queued(session) == []
    assert queued(session) == ["Receipt"]

    with pytest.raises(RuntimeError), written_together(session):
        queue_message(session, kind="email", payload={"to": ["b@x.fi"], "subject": "Lost"})
        raise RuntimeError("the batch failed")
    session.flush()
    assert queued(session) == ["Receipt"]
