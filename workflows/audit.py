"""The append-only audit log and the outbox: both written in the engine's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from workflows.clock import wall_now
from workflows.models import AuditEvent, OutboxMessage, WorkflowInstance
from workflows.rows import insert_now


def record_event(
    session: Session,
    *,
    actor: str,
    kind: str,
    summary: str,
    instance: WorkflowInstance | None = None,
    task_id: str | None = None,
    data: dict[str, Any] | None = None,
    clock_at: datetime | None = None,
    later: bool = False,
) -> AuditEvent:
    """Append an event to the audit log, in this transaction. ``later``: nothing reads this
    event back in the transaction (not even its id), so inside ``written_together`` it is
    written with the others at the block's end."""
    event = AuditEvent(
        at=wall_now(),
        clock_at=clock_at,
        actor=actor,
        instance_id=instance.id if instance else None,
        task_id=task_id,
        kind=kind,
        summary=summary[:300],
        data=data or {},
    )
    together = _together.get()
    if later and together is not None:
        together.events.append(event)
    else:
        insert_now(session, [event])  # nothing changes an event: no unit of work for it
    return event


@dataclass
class _Together:
    """What a ``written_together`` block keeps to write at its end."""

    events: list[AuditEvent] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)


_together: ContextVar[_Together | None] = ContextVar("written_together", default=None)


@contextmanager
def written_together(session: Session) -> Iterator[None]:
    """The audit events recorded ``later`` in the block, and the messages queued in it, are
    written at its end, one INSERT for each table (a batch of timers: two events and an email
    an instance, 150 statements a batch of fifty). When the block raises, they are not
    written: the caller rolls back what the block did."""
    pending = _Together()
    token = _together.set(pending)
    try:
        yield
    finally:
        _together.reset(token)
    insert_now(session, pending.events)
    insert_now(session, pending.messages)


def queue_message(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    instance: WorkflowInstance | None = None,
) -> OutboxMessage:
    """Queue a side effect; the worker sends it after this transaction commits. Nothing reads
    a queued message back in its transaction: inside ``written_together`` it is written at
    the block's end."""
    now = wall_now()
    message = OutboxMessage(
        instance_id=instance.id if instance else None,
        kind=kind,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    together = _together.get()
    if together is not None:
        together.messages.append(message)
    else:
        session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))
