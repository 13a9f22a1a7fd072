"""The append-only audit log and the outbox: both written in the engine's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
    event back in the transaction (not even its id), so inside ``events_together`` it is
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
        together.append(event)
    else:
        insert_now(session, [event])  # nothing changes an event: no unit of work for it
    return event


_together: ContextVar[list[AuditEvent] | None] = ContextVar("events_together", default=None)


@contextmanager
def events_together(session: Session) -> Iterator[None]:
    """The events recorded ``later`` in the block are written in one INSERT at its end (a
    batch of timers: two events an instance, a hundred statements a batch of fifty). When the
    block raises, they are not written: the caller rolls back what the block did."""
    pending: list[AuditEvent] = []
    token = _together.set(pending)
    try:
        yield
    finally:
        _together.reset(token)
    insert_now(session, pending)


def queue_message(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    instance: WorkflowInstance | None = None,
) -> OutboxMessage:
    """Queue a side effect; the worker sends it after this transaction commits."""
    now = wall_now()
    message = OutboxMessage(
        instance_id=instance.id if instance else None,
        kind=kind,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))
