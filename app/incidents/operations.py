"""Writes on incidents and on emails in doubt: retry or resolve, resend or mark sent; audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.operations import actor_of
from workflows import NotAllowed, wall_now
from workflows.audit import record_event
from workflows.incidents import resolve_incident, retry_incident
from workflows.models import Incident, OutboxMessage, WorkflowInstance


def retry(session: Session, incident_id: int, user: User) -> Incident | None:
    """Run the failed step again; returns the new incident if it failed again."""
    return retry_incident(session, incident_id, actor_of(user))


def resolve(session: Session, incident_id: int, user: User) -> None:
    resolve_incident(session, incident_id, actor_of(user))


def _doubtful(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None or message.in_doubt_since is None or message.sent_at is not None:
        raise NotAllowed("The email is not in doubt.")
    return message


def resend_email(session: Session, message_id: int, user: User) -> None:
    """Send an email in doubt again (with the same Message-ID)."""
    message = _doubtful(session, message_id)
    message.in_doubt_since = None
    message.next_attempt_at = wall_now()
    _record(session, message, user, "email_resent", "Email sent again after a person checked")


def mark_email_sent(session: Session, message_id: int, user: User) -> None:
    """An email in doubt did go out (the recipient has it): never send it again."""
    message = _doubtful(session, message_id)
    message.in_doubt_since = None
    message.sent_at = wall_now()
    _record(session, message, user, "email_marked_sent", "Email marked as sent by a person")


def _record(session: Session, message: OutboxMessage, user: User, kind: str, summary: str) -> None:
    record_event(
        session,
        actor=user.username,
        kind=kind,
        summary=summary,
        instance=session.get(WorkflowInstance, message.instance_id)
        if message.instance_id
        else None,
        data={"outbox": message.id, "message_id": message.message_id},
    )
    session.flush()
