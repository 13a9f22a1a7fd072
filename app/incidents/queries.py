"""Reads for the incidents page: the open incidents with their cases, and emails in doubt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case
from workflows.models import Incident, OutboxMessage, WorkflowInstance


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    case: Case | None
    call: Call | None


def open_incident_rows(session: Session) -> list[IncidentRow]:
    rows = session.execute(
        select(Incident, Case, Call)
        .join(WorkflowInstance, WorkflowInstance.id == Incident.instance_id)
        .outerjoin(Case, Case.instance_id == Incident.instance_id)
        .outerjoin(Call, Call.key == WorkflowInstance.group_key)
        .where(Incident.status == "open")
        .order_by(Incident.opened_at, Incident.id)
    ).all()
    return [IncidentRow(*row) for row in rows]


def emails_in_doubt(session: Session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.in_doubt_since.is_not(None), OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
        )
    )


def open_incident_count(session: Session) -> int:
    return len(list(session.scalars(select(Incident.id).where(Incident.status == "open"))))
