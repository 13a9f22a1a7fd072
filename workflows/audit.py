"""The append-only audit log and the outbox: both written in the engine's transaction."""

from __future__ import annotations

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
) -> AuditEvent:
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
    insert_now(session, [event])  # nothing changes an event: no unit of work for it
    return event


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
