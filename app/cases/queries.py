"""Reads on cases: who may see which case, and the lists the pages show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case
from workflows import form_schema
from workflows.models import WorkflowInstance

STAFF_ROLES = frozenset({"specialist", "decision_maker", "process_owner", "admin"})


def is_staff(user: User) -> bool:
    return bool(user.roles & STAFF_ROLES)


def may_view_case(user: User, case: Case) -> bool:
    """Staff see every case; an applicant sees only its own organisation's cases."""
    if is_staff(user):
        return True
    return user.organisation_id is not None and case.organisation_id == user.organisation_id


def case_of_instance(session: Session, instance_id: int) -> Case:
    case = session.scalar(select(Case).where(Case.instance_id == instance_id))
    if case is None:
        raise LookupError(f"no case runs on instance {instance_id}")
    return case


def cases_for(session: Session, user: User) -> list[Case]:
    query = select(Case).order_by(Case.created_at.desc())
    if not is_staff(user):
        query = query.where(Case.organisation_id == (user.organisation_id or -1))
    return list(session.scalars(query))


def document_schema(instance: WorkflowInstance, kind: str) -> dict[str, Any]:
    """The form a document was sent with: forms/<kind>.json of the case's process version."""
    return form_schema(instance, f"{kind}.json") or {"properties": {}}
