"""The registry office: numbers every sent document and acknowledges its receipt at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attachments.operations import bind_unsent_attachments
from app.cases.models import Case, Document, RegistrySequence
from app.cases.queries import case_of_instance
from app.notifications.operations import notify_case
from app.upsert import upsert
from workflows import ServiceCall, register_operator
from workflows.models import AuditEvent
from workflows.transaction import notes

HELSINKI = ZoneInfo("Europe/Helsinki")
DOCUMENT_KINDS = ("idea_proposal", "application", "supplement")  # received from applicants


def next_registry_number(session: Session, prefix: str, received_at: datetime) -> str:
    """'<prefix>/<n>/<year>' (VN/1/2021): numbered per prefix and year of arrival in Helsinki
    time, by one statement that inserts the year's first number or counts on (no two
    registrations, even of the year's first document, can get the same number)."""
    year = received_at.astimezone(HELSINKI).year
    statement = upsert(
        session,
        RegistrySequence,
        {"prefix": prefix, "year": year, "last_number": 1},
        key=("prefix", "year"),
        update={"last_number": RegistrySequence.last_number + 1},
    ).returning(RegistrySequence.last_number)
    number = session.execute(statement).scalar_one()
    return f"{prefix}/{number}/{year}"


def _sent_form(session: Session, instance_id: int) -> dict[str, Any]:
    """The form data of the task just completed, as the audit log recorded it."""
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.instance_id == instance_id, AuditEvent.kind == "task_completed")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return dict(event.data) if event is not None else {}


@register_operator("register_document")
def register_document(call: ServiceCall) -> dict[str, Any]:
    kind = call.params["document"]
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    session = call.session
    case = case_of_instance(session, call.instance)
    number = next_registry_number(session, case.call.registry_prefix, call.now)
    document = Document(
        case_id=case.id,
        kind=kind,
        registry_number=number,
        received_at=call.now,
        data=call.sent if call.sent is not None else _sent_form(session, call.instance.id),
        sent_by=call.actor.username,
    )
    session.add(document)
    session.flush()
    notes(session).setdefault("received", {})[case.id] = document
    if kind in ("application", "supplement"):
        document.data = document.data | {
            "attachments": bind_unsent_attachments(session, case, document)
        }
    notify_case(session, case, "receipt", {"document": document}, data=document.data)
    return {"registry_number": number, "received_at": call.now.isoformat()}


def received_now(session: Session, case: Case) -> Document | None:
    """The document the registry received from the case in this transaction (a send's)."""
    found: Document | None = notes(session).get("received", {}).get(case.id)
    return found


def register_outgoing(
    session: Session, case: Case, kind: str, letter: dict[str, str], now: datetime, sent_by: str
) -> Document:
    """File a letter the ministry sent (the webinar invitation, the decision) under a number."""
    document = Document(
        case_id=case.id,
        kind=kind,
        outgoing=True,
        registry_number=next_registry_number(session, case.call.registry_prefix, now),
        received_at=now,
        data=letter,
        sent_by=sent_by,
    )
    session.add(document)
    session.flush()
    return document
